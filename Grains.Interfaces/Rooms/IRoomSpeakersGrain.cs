using Orleans.Concurrency;

namespace Grains.Interfaces.Rooms;

/// <summary>
/// A room's active speaker, keyed by the room id: the audio levels of its publishers (reported by their sessions,
/// from the media nodes' samples) are compared, and a change of dominant speaker is published on the room's
/// notification stream (<see cref="Signaling.RoomNotificationType.ActiveSpeakers"/>), at most twice a second.
/// In memory only: a reactivated grain starts from silence.
/// </summary>
[Alias("Rtc.IRoomSpeakersGrain")]
public interface IRoomSpeakersGrain : IGrainWithStringKey
{
    /// <summary>The smoothed level (dBov, -127 to 0) of one audio stream of <paramref name="identity"/>.</summary>
    [OneWay, Alias("ReportLevel")] Task ReportLevelAsync(string identity, string streamId, int levelDbov);

    /// <summary>The speaking participants now, loudest first (empty when nobody speaks); the dominant one may differ (hysteresis).</summary>
    [Alias("GetActiveSpeakers")] Task<System.Collections.Immutable.ImmutableArray<Signaling.SpeakerLevel>> GetActiveSpeakersAsync();
}
