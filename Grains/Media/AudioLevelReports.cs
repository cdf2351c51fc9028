using Grains.Rooms.Speakers;
using MediaPlane.Contracts;

namespace Grains.Media;

/// <summary>
/// Which of a node's audio-level samples are worth a report to the room (<see cref="Interfaces.Rooms.IRoomSpeakersGrain"/>,
/// through the publisher's session grain): a stream whose level moved by <see cref="MinChangeDb"/> or more since
/// its last report, and a speaking stream at least every <see cref="SpeakingRefresh"/> (the room takes a stream
/// unreported for <see cref="ActiveSpeakerSelector.StaleAfter"/> as silent). A silent room costs no calls.
/// One sampling loop owns it.
/// </summary>
public sealed class AudioLevelReports
{
    public const int MinChangeDb = 3;
    public static readonly TimeSpan SpeakingRefresh = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (int LevelDbov, long AtTicks)> _reported = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>The samples to report now; forgets streams no longer sampled.</summary>
    public List<AudioLevelSample> Select(IReadOnlyList<AudioLevelSample> samples, long nowTicks)
    {
        var due = new List<AudioLevelSample>();
        _seen.Clear();
        foreach (var sample in samples)
        {
            _seen.Add(sample.StreamId);
            bool speaking = sample.LevelDbov >= ActiveSpeakerSelector.SpeakingThresholdDbov;
            if (_reported.TryGetValue(sample.StreamId, out var last)
                && Math.Abs(sample.LevelDbov - last.LevelDbov) < MinChangeDb
                && !(speaking && nowTicks - last.AtTicks >= (long)SpeakingRefresh.TotalMilliseconds))
                continue;
            if (!_reported.ContainsKey(sample.StreamId) && !speaking)
            {
                _reported[sample.StreamId] = (sample.LevelDbov, nowTicks); // silent from the start: nothing to say
                continue;
            }
            _reported[sample.StreamId] = (sample.LevelDbov, nowTicks);
            due.Add(sample);
        }
        if (_reported.Count > _seen.Count)
        {
            foreach (var streamId in _reported.Keys)
            {
                if (!_seen.Contains(streamId))
                    _reported.Remove(streamId);
            }
        }
        return due;
    }
}
