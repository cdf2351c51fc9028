using System.Collections.Immutable;
using Grains.Interfaces.Signaling;

namespace Grains.Rooms.Speakers;

/// <summary>
/// Chooses a room's dominant speaker from its audio streams' smoothed levels (RFC 6464 dBov, already smoothed per
/// stream by the media node). A stream speaks when its level is at least <see cref="SpeakingThresholdDbov"/> and its
/// last report is younger than <see cref="StaleAfter"/>. The loudest speaker takes over only when it is at least
/// <see cref="HysteresisDb"/> louder than the current one, or the current one stopped speaking; and the dominant
/// speaker changes at most once per <see cref="MinChangeInterval"/> (2 changes/s), so a lively exchange does not
/// flood the room's sockets. Not thread-safe: one grain owns it.
/// </summary>
public sealed class ActiveSpeakerSelector
{
    /// <summary>Quieter than this is not speech (a quiet room's noise floor sits around -60 to -70 dBov).</summary>
    public const int SpeakingThresholdDbov = -50;
    /// <summary>How much louder a new speaker must be than the current one to take over.</summary>
    public const int HysteresisDb = 6;
    public static readonly TimeSpan MinChangeInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>A stream not reported for this long is silent (its publisher left, or its node stopped sampling).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (string Identity, int LevelDbov, DateTimeOffset At)> _streams = new(StringComparer.Ordinal);
    private DateTimeOffset _lastChange = DateTimeOffset.MinValue;

    /// <summary>The dominant speaker's identity; null when nobody speaks.</summary>
    public string? Dominant { get; private set; }

    public void Report(string identity, string streamId, int levelDbov, DateTimeOffset now)
    {
        _streams[streamId] = (identity, Math.Clamp(levelDbov, -127, 0), now);
        if (_streams.Count > 16)
        {
            foreach (var (id, stream) in _streams)
            {
                if (now - stream.At > ForgetAfter)
                    _streams.Remove(id);
            }
        }
    }

    /// <summary>Speaking participants, loudest first (an identity with several streams counts its loudest).</summary>
    public ImmutableArray<SpeakerLevel> Speakers(DateTimeOffset now) =>
        [.. _streams.Values
            .Where(s => s.LevelDbov >= SpeakingThresholdDbov && now - s.At <= StaleAfter)
            .GroupBy(s => s.Identity, StringComparer.Ordinal)
            .Select(g => new SpeakerLevel(g.Key, g.Max(s => s.LevelDbov)))
            .OrderByDescending(s => s.LevelDbov)
            .ThenBy(s => s.Identity, StringComparer.Ordinal)];

    /// <summary>
    /// True when the dominant speaker changes now (to <see cref="Dominant"/>, possibly nobody); then
    /// <paramref name="speakers"/> lists who speaks, the new dominant speaker first.
    /// </summary>
    public bool TryChange(DateTimeOffset now, out ImmutableArray<SpeakerLevel> speakers)
    {
        speakers = Speakers(now);
        if (now - _lastChange < MinChangeInterval)
            return false;
        string? loudest = speakers.IsEmpty ? null : speakers[0].Identity;
        if (loudest == Dominant)
            return false;
        if (Dominant is { } current && loudest is not null
            && speakers.FirstOrDefault(s => s.Identity == current) is { } stillSpeaking
            && speakers[0].LevelDbov - stillSpeaking.LevelDbov < HysteresisDb)
            return false;
        Dominant = loudest;
        _lastChange = now;
        return true;
    }
}
