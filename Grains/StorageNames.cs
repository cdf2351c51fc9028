namespace Grains;

/// <summary>Names of the Orleans providers every profile registers.</summary>
public static class StorageNames
{
    /// <summary>Grain storage for room, participant, stream and directory state.</summary>
    public const string Rtc = "rtc";

    /// <summary>Stream provider for internal signaling (memory streams embedded, Azure Queue in a cluster).</summary>
    public const string StreamProvider = Grains.Interfaces.Signaling.RtcStreams.Provider;

    /// <summary>Grain storage Orleans streams use for their subscriptions.</summary>
    public const string PubSub = "PubSubStore";
}
