namespace MediaPlane.WebRtc;

/// <summary>What a session reports to the server that owns it.</summary>
internal interface IWebRtcSessionHost
{
    void OnSessionConnected(WebRtcSession session);

    void OnSessionFailed(WebRtcSession session, SessionCloseReason reason, string? detail);
}
