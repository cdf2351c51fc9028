namespace Grains.Interfaces.Recordings;

/// <summary>
/// One recording of a room, keyed by its id: owns its state (what is recorded, its files and parts, started,
/// stopped or failed) while the media nodes that serve the tracks do the writing. Refusals are
/// <see cref="RecordingException"/>.
/// </summary>
[Alias("Rtc.IRecordingGrain")]
public interface IRecordingGrain : IGrainWithStringKey
{
    /// <summary>Starts recording the room's selected participants (one file per participant). Idempotent for the same spec.</summary>
    [Alias("Start")] Task<RecordingInfo> StartAsync(RecordingSpec spec);

    /// <summary>Stops: the nodes finish their files (and upload them, on the Azure profile). Idempotent.</summary>
    [Alias("Stop")] Task<RecordingInfo> StopAsync();

    /// <summary>The recording as it is now; null when it was never started.</summary>
    [Alias("Get")] Task<RecordingInfo?> GetAsync();
}

/// <summary>The recordings of a room, keyed by the room id: their ids in start order.</summary>
[Alias("Rtc.IRoomRecordingsGrain")]
public interface IRoomRecordingsGrain : IGrainWithStringKey
{
    [Alias("Add")] Task AddAsync(string recordingId);

    [Alias("List")] Task<System.Collections.Immutable.ImmutableArray<string>> ListAsync();
}

/// <summary>A recording was refused (bad selection, nothing to record); the message is safe to show.</summary>
[GenerateSerializer, Alias("Rtc.RecordingException")]
public class RecordingException(string message) : Exception(message);

/// <summary>No such recording, or its room is not open.</summary>
[GenerateSerializer, Alias("Rtc.RecordingNotFoundException")]
public sealed class RecordingNotFoundException(string message) : RecordingException(message);
