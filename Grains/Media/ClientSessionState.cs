using Grains.Interfaces.Media;

namespace Grains.Media;

[GenerateSerializer, Alias("Rtc.ClientSessionState")]
public sealed class ClientSessionState
{
    [Id(0)] public ClientSessionInfo? Session { get; set; }
}
