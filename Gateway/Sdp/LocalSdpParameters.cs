using System.Net;

namespace Gateway.Sdp;

/// <summary>
/// The server's side of a session as the media plane reports it: ICE-lite credentials, the DTLS
/// certificate's fingerprint, and the one UDP address and port every client of the silo uses.
/// </summary>
public sealed record LocalSdpParameters(
    string IceUfrag,
    string IcePwd,
    SdpFingerprint Fingerprint,
    IPAddress Address,
    int Port)
{
    /// <summary>o= session id: numeric, stays the same for the session's lifetime (RFC 8866 §5.2).</summary>
    public ulong SessionId { get; init; } = (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>o= version: increase it when the answer changes (e.g. ICE restart).</summary>
    public ulong SessionVersion { get; init; } = 1;
}
