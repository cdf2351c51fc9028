namespace Grains.Interfaces.Media;

/// <summary>A media node (one per silo) as it last reported itself.</summary>
/// <param name="NodeId">The silo's address in Orleans' parsable form: also the key of its <see cref="IMediaNodeGrain"/>.</param>
[GenerateSerializer, Immutable, Alias("Rtc.MediaNodeInfo")]
public sealed record MediaNodeInfo(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string Region,
    [property: Id(2)] string MediaAddress,
    [property: Id(3)] int MediaPort,
    [property: Id(4)] int Sessions,
    [property: Id(5)] double PacketsPerSecond,
    [property: Id(6)] double CpuUsage,
    [property: Id(7)] DateTimeOffset ReportedAt);
