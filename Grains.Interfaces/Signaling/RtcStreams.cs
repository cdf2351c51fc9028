namespace Grains.Interfaces.Signaling;

/// <summary>
/// The Orleans streams of internal signaling (ARCHITECTURE.md "Internal signaling"): one provider, in-memory
/// signal queues (Queues/) in the embedded and PostgreSQL profiles, Azure Queue streams on Azure Storage. Silos
/// and the standalone gateway's cluster client must configure the provider under the same name and queues.
/// </summary>
public static class RtcStreams
{
    /// <summary>The stream provider's name.</summary>
    public const string Provider = "rtc-queue";

    /// <summary><see cref="MediaStateEvent"/>s from media nodes, one stream per WebRTC session (key: session id).</summary>
    public const string MediaState = "media-state";

    /// <summary><see cref="RoomNotification"/>s for clients, one stream per room (key: room id).</summary>
    public const string RoomNotify = "room-notify";

    /// <summary>
    /// Signal queues of the in-memory provider (embedded and PostgreSQL profiles; Grains/SignalQueues: SignalQueueOptions),
    /// the same on silos and clients: a producer picks the queue by hashing the stream id over this count, and
    /// only silos read queues, so a client with another count would enqueue where no silo looks. Signaling's
    /// rate is a few events per join, so two are plenty.
    /// </summary>
    public const int MemoryQueueCount = 2;

    /// <summary>Azure queues: lowercase letters, digits and hyphens, prefixed by the service so services can share an account.</summary>
    public static List<string> QueueNames(string serviceId, int count = 4)
    {
        var prefix = new string(serviceId.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray()).Trim('-');
        if (prefix.Length == 0)
            prefix = "rtc";
        if (prefix.Length > 40)
            prefix = prefix[..40];
        return Enumerable.Range(0, count).Select(i => $"{prefix}-stream-{i}").ToList();
    }
}
