namespace Grains.Interfaces.Media;

/// <summary>
/// The media plane of one silo, keyed by that silo's node id and always activated on it (silo-bound
/// placement). The control plane's only door to the packets: open and close sessions.
/// Refusals are <see cref="MediaNodeException"/>.
/// </summary>
[Alias("Rtc.IMediaNodeGrain")]
public interface IMediaNodeGrain : IGrainWithStringKey
{
    [Alias("OpenSession")] Task<MediaSessionGrant> OpenSessionAsync(MediaSessionSpec spec);

    /// <summary>False when no such session was open.</summary>
    [Alias("CloseSession")] Task<bool> CloseSessionAsync(string sessionId);

    [Alias("GetInfo")] Task<MediaNodeInfo> GetInfoAsync();

    /// <summary>ICE restart of an open session: new local credentials; null when the session is not open here.</summary>
    [Alias("RestartIce")] Task<MediaSessionGrant?> RestartIceAsync(string sessionId, string remoteUfrag);
}

/// <summary>A media node refused a session; the message is safe to show the client.</summary>
[GenerateSerializer, Alias("Rtc.MediaNodeException")]
public sealed class MediaNodeException(string message) : Exception(message);
