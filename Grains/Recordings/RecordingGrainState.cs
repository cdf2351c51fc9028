using Grains.Interfaces.Recordings;

namespace Grains.Recordings;

/// <summary>What a recording grain persists ("recording" in storage "rtc").</summary>
[GenerateSerializer, Alias("Rtc.RecordingGrainState")]
public sealed class RecordingGrainState
{
    /// <summary>Null until started.</summary>
    [Id(0)] public RecordingSpec? Spec { get; set; }
    [Id(1)] public RecordingStatus Status { get; set; }
    [Id(2)] public DateTimeOffset StartedAt { get; set; }
    [Id(3)] public DateTimeOffset? StoppedAt { get; set; }
    [Id(4)] public string? Error { get; set; }
    [Id(5)] public List<RecordingFile> Files { get; set; } = [];
}

/// <summary>What a room's recording index persists ("roomRecordings").</summary>
[GenerateSerializer, Alias("Rtc.RoomRecordingsState")]
public sealed class RoomRecordingsState
{
    [Id(0)] public List<string> RecordingIds { get; set; } = [];
}
