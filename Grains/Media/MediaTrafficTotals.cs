using MediaPlane.Contracts;
using MediaPlane.WebRtc;

namespace Grains.Media;

/// <summary>
/// Node-wide packet and byte totals that only grow, built from session snapshots (which hold open sessions only):
/// when a session disappears between two reads, its last read counters stay in the totals. What a session did after
/// the last read before it closed is not counted. Read by the metrics scrape and the load report, never per packet.
/// </summary>
public sealed class MediaTrafficTotals
{
    public readonly record struct Totals(long PacketsReceived, long BytesReceived, long PacketsLost, long PacketsSent, long BytesSent);

    private readonly object _lock = new();
    private Dictionary<string, Totals> _lastSeen = new(StringComparer.Ordinal);
    private Totals _closed;

    /// <summary>Totals now: closed sessions' last reads plus every open session's current counters.</summary>
    public Totals Read(IReadOnlyList<MediaSessionSnapshot> open)
    {
        lock (_lock)
        {
            var seen = new Dictionary<string, Totals>(open.Count, StringComparer.Ordinal);
            foreach (var session in open)
            {
                long packetsIn = 0, bytesIn = 0, lost = 0;
                foreach (var track in session.Published)
                {
                    packetsIn += track.PacketsReceived;
                    bytesIn += track.OctetsReceived;
                    lost += Math.Max(0, track.PacketsLost); // RFC 3550 §6.4.1: duplicates can make it negative
                }
                seen[session.SessionId] = new Totals(packetsIn, bytesIn, lost, session.PacketsSent, session.OctetsSent);
            }
            foreach (var (id, last) in _lastSeen)
            {
                if (!seen.ContainsKey(id))
                    _closed = Add(_closed, last);
            }
            _lastSeen = seen;
            var total = _closed;
            foreach (var current in seen.Values)
                total = Add(total, current);
            return total;
        }
    }

    private static Totals Add(Totals a, Totals b) => new(
        a.PacketsReceived + b.PacketsReceived, a.BytesReceived + b.BytesReceived, a.PacketsLost + b.PacketsLost,
        a.PacketsSent + b.PacketsSent, a.BytesSent + b.BytesSent);
}
