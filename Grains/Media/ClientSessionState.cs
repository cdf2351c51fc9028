using Grains.Interfaces.Media;

namespace Grains.Media;

[GenerateSerializer, Alias("Rtc.ClientSessionState")]
public sealed class ClientSessionState
{
    [Id(0)] public ClientSessionInfo? Session { get; set; }

    /// <summary>What the node answered when the session was opened: a retried open gets the same answer.</summary>
    [Id(1)] public MediaSessionGrant? Grant { get; set; }
}
