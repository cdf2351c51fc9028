namespace MediaPlane.WebRtc;

/// <summary>The narrow door from the control plane to a silo's media plane (ARCHITECTURE.md).</summary>
public interface IMediaNode
{
    /// <summary>Throws <see cref="MediaSessionException"/> when the session cannot be opened.</summary>
    MediaSessionAnswer Open(MediaSessionRequest request);

    /// <summary>ICE restart: new local credentials for an open session; null when it is not open.</summary>
    MediaSessionAnswer? RestartIce(string sessionId, string remoteUfrag);

    bool Close(string sessionId, SessionCloseReason reason = SessionCloseReason.Requested, string? detail = null);

    int SessionCount { get; }

    int Port { get; }

    string AdvertisedAddress { get; }

    long DatagramsReceived { get; }

    MediaPlaneCounters Counters { get; }
}
