using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using MediaPlane.Transport;

namespace MediaPlane.Relay.Protocol;

/// <summary>
/// The sender-address check: the known relay endpoints of other nodes, each with its receive link.
/// A datagram from any other address is dropped before it is parsed or any crypto runs, so a flood
/// from strangers costs one hash look-up per packet. The control plane replaces the whole table
/// (membership changed); receive loops read the current snapshot without locks.
/// </summary>
public sealed class RelayPeerTable
{
    private volatile FrozenDictionary<EndpointKey, RelayReceiveLink> _links = FrozenDictionary<EndpointKey, RelayReceiveLink>.Empty;

    public int Count => _links.Count;

    /// <summary>Set-up time: the relay endpoints now known, each with its link (links of dropped peers are the caller's to dispose).</summary>
    public void Replace(IEnumerable<KeyValuePair<IPEndPoint, RelayReceiveLink>> peers) =>
        _links = peers.ToFrozenDictionary(p => EndpointKey.From(p.Key), p => p.Value);

    public bool TryGetLink(in EndpointKey from, [NotNullWhen(true)] out RelayReceiveLink? link) =>
        _links.TryGetValue(from, out link);

    /// <summary>The receive path: address check first, then <see cref="RelayReceiveLink.TryOpen"/>.</summary>
    public bool TryOpen(in EndpointKey from, Span<byte> datagram, out RelayV2Packet packet, out RelayOpenError error)
    {
        if (!_links.TryGetValue(from, out var link))
        {
            packet = default;
            error = RelayOpenError.UnknownSender;
            return false;
        }
        return link.TryOpen(datagram, out packet, out error);
    }
}
