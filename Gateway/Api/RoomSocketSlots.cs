using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Gateway.Api;

/// <summary>
/// Counts the room sockets each identity holds open on this gateway and refuses one past
/// <see cref="RoomNotificationSocketOptions.MaxSocketsPerIdentity"/>: a token must not pin unbounded subscriptions.
/// </summary>
public sealed class RoomSocketSlots(IOptions<RoomNotificationSocketOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>A slot to dispose when the socket ends, or null when the identity already holds the maximum.</summary>
    public IDisposable? TryTake(string identity)
    {
        int max = options.Value.MaxSocketsPerIdentity;
        while (true)
        {
            int count = _open.GetOrAdd(identity, 0);
            if (count >= max)
                return null;
            if (_open.TryUpdate(identity, count + 1, count))
                return new Slot(this, identity);
        }
    }

    /// <summary>Sockets <paramref name="identity"/> holds open now.</summary>
    public int Count(string identity) => _open.GetValueOrDefault(identity);

    private void Release(string identity)
    {
        while (_open.TryGetValue(identity, out int count))
        {
            bool done = count <= 1
                ? _open.TryRemove(new KeyValuePair<string, int>(identity, count))
                : _open.TryUpdate(identity, count - 1, count);
            if (done)
                return;
        }
    }

    private sealed class Slot(RoomSocketSlots slots, string identity) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release(identity);
        }
    }
}
