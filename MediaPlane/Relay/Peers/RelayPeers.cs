using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using MediaPlane.Relay.Protocol;
using MediaPlane.Transport;

namespace MediaPlane.Relay.Peers;

/// <summary>
/// The set of other nodes this node's relay v2 talks to, replaced whole by the control plane when membership changes
/// (about once a second it is offered again; unchanged peers keep their links, replay windows and probe history).
/// Receive loops read the current snapshot without locks. Links of peers that left are disposed one update later,
/// so a receive loop still holding the old snapshot never uses a disposed AES context.
/// </summary>
internal sealed class RelayPeers : IDisposable
{
    /// <summary>Epoch of the link keys. Rotation (docs/relay-protocol.md, Keys) is not driven yet: one epoch per run.</summary>
    public const uint Epoch = 1;

    private readonly RelayKeyDerivation _keys;
    private readonly ulong _self;
    private readonly Func<IPAddress, UdpReceiveSocket> _socketFor;
    private volatile FrozenDictionary<EndpointKey, RelayPeer> _byEndpoint = FrozenDictionary<EndpointKey, RelayPeer>.Empty;
    private readonly object _updateLock = new();
    private volatile FrozenDictionary<ulong, RelayPeer> _byNode = FrozenDictionary<ulong, RelayPeer>.Empty;
    private volatile RelayPeer[] _all = [];
    private List<RelayPeer> _retired = [];

    public RelayPeers(byte[] clusterKey, ulong self, Func<IPAddress, UdpReceiveSocket> socketFor)
    {
        _keys = new RelayKeyDerivation(clusterKey);
        _self = self;
        _socketFor = socketFor;
    }

    public int Count => _byNode.Count;

    /// <summary>The current peers (an array, so the prober's timer walks it without allocating).</summary>
    public RelayPeer[] All => _all;

    public bool TryGet(ulong node, [NotNullWhen(true)] out RelayPeer? peer) => _byNode.TryGetValue(node, out peer);

    /// <summary>
    /// The receive path (as <see cref="RelayPeerTable.TryOpen"/>): the sender address must be a known peer's relay
    /// endpoint, before parsing or any crypto; then that peer's receive link opens the packet in place.
    /// <paramref name="peer"/> is the previous hop (the packet's source field names the stream's origin).
    /// </summary>
    public bool TryOpen(in EndpointKey from, Span<byte> datagram, [NotNullWhen(true)] out RelayPeer? peer, out RelayV2Packet packet, out RelayOpenError error)
    {
        if (!_byEndpoint.TryGetValue(from, out peer))
        {
            packet = default;
            error = RelayOpenError.UnknownSender;
            return false;
        }
        if (peer.Receive.TryOpen(datagram, out packet, out error))
            return true;
        peer = null;
        return false;
    }

    /// <summary>Set-up time: the peers now known (this node itself and duplicates are skipped). True when the set changed.</summary>
    public bool Update(IEnumerable<RelayPeerInfo> peers)
    {
        lock (_updateLock)
        {
            var current = _byNode;
            var next = new Dictionary<ulong, RelayPeer>();
            var endpoints = new HashSet<EndpointKey>();
            bool changed = false;
            foreach (var info in peers)
            {
                ulong hash = RelayIds.Hash(info.NodeId);
                if (hash == _self || next.ContainsKey(hash) || !endpoints.Add(EndpointKey.From(info.EndPoint)))
                    continue;
                if (current.TryGetValue(hash, out var known) && known.EndPoint.Equals(info.EndPoint))
                {
                    next[hash] = known;
                    continue;
                }
                next[hash] = new RelayPeer(info.NodeId, info.EndPoint, _keys, _self, Epoch, _socketFor(info.EndPoint.Address));
                changed = true;
            }
            var leaving = current.Values.Where(p => !next.TryGetValue(p.NodeHash, out var kept) || kept != p).ToList();
            changed |= leaving.Count > 0;
            foreach (var peer in _retired)
                peer.Dispose();
            _retired = leaving;
            if (!changed)
                return false;
            _byEndpoint = next.Values.ToFrozenDictionary(p => EndpointKey.From(p.EndPoint));
            _byNode = next.ToFrozenDictionary();
            _all = [.. next.Values];
            return true;
        }
    }

    public void Dispose()
    {
        lock (_updateLock)
        {
            foreach (var peer in _retired.Concat(_byNode.Values))
                peer.Dispose();
            _retired = [];
            _byNode = FrozenDictionary<ulong, RelayPeer>.Empty;
            _byEndpoint = FrozenDictionary<EndpointKey, RelayPeer>.Empty;
            _all = [];
        }
    }
}
