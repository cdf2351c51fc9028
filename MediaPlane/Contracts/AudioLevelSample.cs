namespace MediaPlane.Contracts;

/// <summary>
/// One local audio track's smoothed RFC 6464 level at one moment (<see cref="IMediaNode.SampleAudioLevels"/>): what the
/// control plane reads to find a room's active speaker.
/// </summary>
/// <param name="LevelDbov">-127 (silence, or no level for a while) to 0 (the loudest).</param>
public readonly record struct AudioLevelSample(string SessionId, string StreamId, int LevelDbov);
