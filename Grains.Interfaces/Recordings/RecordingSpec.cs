using System.Collections.Immutable;

namespace Grains.Interfaces.Recordings;

/// <summary>What to record: the whole room (both lists empty), or named participants and/or streams.</summary>
/// <param name="Container">"webm" or "mp4".</param>
[GenerateSerializer, Immutable, Alias("Rtc.RecordingSpec")]
public sealed record RecordingSpec(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string Container,
    [property: Id(2)] ImmutableArray<string> Participants,
    [property: Id(3)] ImmutableArray<string> StreamIds);

/// <summary>Names shared by the node that uploads recordings (Azure profile) and the gateway that serves them.</summary>
public static class RecordingBlobs
{
    public const string DefaultContainer = "recordings";

    public static string Name(string recordingId, string fileName) => $"{recordingId}/{fileName}";
}
