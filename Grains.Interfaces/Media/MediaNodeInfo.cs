namespace Grains.Interfaces.Media;

/// <summary>A media node (one per silo) as it last reported itself.</summary>
/// <param name="NodeId">The silo's address in Orleans' parsable form: also the key of its <see cref="IMediaNodeGrain"/>.</param>
/// <param name="RelayAddress">Where other nodes send relayed media to this node (RelayPort:AdvertisedAddress); null without a relay port.</param>
/// <param name="RelayPort">The node's UDP relay port; 0 without one.</param>
/// <param name="BitsPerSecond">RTP payload received plus sent, over the last report interval.</param>
[GenerateSerializer, Immutable, Alias("Rtc.MediaNodeInfo")]
public sealed record MediaNodeInfo(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string Region,
    [property: Id(2)] string MediaAddress,
    [property: Id(3)] int MediaPort,
    [property: Id(4)] int Sessions,
    [property: Id(5)] double PacketsPerSecond,
    [property: Id(6)] double CpuUsage,
    [property: Id(7)] DateTimeOffset ReportedAt,
    [property: Id(8)] string? RelayAddress = null,
    [property: Id(9)] int RelayPort = 0,
    [property: Id(10)] double BitsPerSecond = 0);
