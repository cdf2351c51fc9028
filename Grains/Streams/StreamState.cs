using Grains.Interfaces.Streams;

namespace Grains.Streams;

/// <summary>What a stream grain persists ("stream" in storage "rtc").</summary>
[GenerateSerializer, Alias("Rtc.StreamState")]
public sealed class StreamState
{
    /// <summary>Null when not published.</summary>
    [Id(0)] public StreamInfo? Info { get; set; }

    /// <summary>Subscribers, ordinal order of identity.</summary>
    [Id(1)] public List<SubscriptionInfo> Subscribers { get; set; } = [];
}
