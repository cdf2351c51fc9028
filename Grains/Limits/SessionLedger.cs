using Grains.Interfaces.Media;

namespace Grains.Limits;

/// <summary>
/// Admitted sessions with who holds them, for the quota grains. An admission becomes stale when its session grain
/// was never recorded (the offer failed after admission, or its gateway died) or has closed without releasing it.
/// </summary>
internal sealed class SessionLedger
{
    /// <summary>How long an admission may wait for its session grain to be recorded before it counts as stale.</summary>
    public static readonly TimeSpan RecordGrace = TimeSpan.FromSeconds(30);

    public sealed record Entry(string Owner, string? Tag, DateTime AdmittedAt);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perOwner = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool Contains(string sessionId) => _entries.ContainsKey(sessionId);

    public int CountOf(string owner) => _perOwner.GetValueOrDefault(owner);

    public void Add(string sessionId, string owner, string? tag)
    {
        _entries[sessionId] = new Entry(owner, tag, DateTime.UtcNow);
        _perOwner[owner] = CountOf(owner) + 1;
    }

    public Entry? Remove(string sessionId)
    {
        if (!_entries.Remove(sessionId, out var entry))
            return null;
        if (--_perOwner[entry.Owner] == 0)
            _perOwner.Remove(entry.Owner);
        return entry;
    }

    /// <summary>Drops stale admissions (asking their session grains) and returns them.</summary>
    public async Task<List<(string SessionId, Entry Entry)>> PruneAsync(IGrainFactory grains)
    {
        var old = _entries.Where(e => DateTime.UtcNow - e.Value.AdmittedAt > RecordGrace).Select(e => e.Key).ToList();
        var stale = await Task.WhenAll(old.Select(async id =>
        {
            var session = await grains.GetGrain<IClientSessionGrain>(id).GetAsync();
            return session is null || session.Status == ClientSessionStatus.Closed ? id : null;
        }));
        var dropped = new List<(string, Entry)>();
        foreach (var id in stale.OfType<string>())
        {
            if (Remove(id) is { } entry)
                dropped.Add((id, entry));
        }
        return dropped;
    }
}
