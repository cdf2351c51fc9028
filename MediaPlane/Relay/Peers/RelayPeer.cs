using System.Net;
using MediaPlane.Relay.Probing;
using MediaPlane.Relay.Protocol;
using MediaPlane.Transport;

namespace MediaPlane.Relay.Peers;

/// <summary>
/// One other node this node exchanges relay v2 packets with: its endpoint, the two directed links' keys, and the
/// probe statistics of the link toward it. Ownership: <see cref="Receive"/> belongs to the receive loop the peer's
/// datagrams land on; <see cref="ControlSend"/> (probes and replies, a couple of packets a second) is shared by the
/// prober timer and the receive loops under <see cref="ControlLock"/>; media send links are per loop (forwarding).
/// </summary>
internal sealed class RelayPeer : IDisposable
{
    public RelayPeer(string nodeId, IPEndPoint endPoint, RelayKeyDerivation keys, ulong self, uint epoch, UdpReceiveSocket socket)
    {
        NodeId = nodeId;
        NodeHash = RelayIds.Hash(nodeId);
        EndPoint = endPoint;
        Address = endPoint.Serialize();
        Socket = socket;
        Receive = new RelayReceiveLink(keys.DeriveLinkKey(NodeHash, self, epoch));
        Sequence = new RelayLinkSequence(RelaySendLink.SequenceFromClock());
        _sendKey = keys.DeriveLinkKey(self, NodeHash, epoch);
        ControlSend = new RelaySendLink(_sendKey, Sequence);
    }

    private readonly RelayLinkKey _sendKey;

    // One send link per receive loop (its own AES context), made on that loop's first packet toward this peer;
    // indexed by LoopThread.Row. Row 0 (threads that are not loops) uses ControlSend under ControlLock.
    private readonly RelaySendLink?[] _loopLinks = new RelaySendLink?[LoopThread.MaxRows + 1];

    public string NodeId { get; }

    public ulong NodeHash { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>Serialized once: what every send to this peer passes to the socket.</summary>
    public System.Net.SocketAddress Address { get; }

    /// <summary>The local socket this node sends to the peer from (its relay address, so the peer's address check passes).</summary>
    public UdpReceiveSocket Socket { get; }

    public RelayReceiveLink Receive { get; }

    /// <summary>The per-link sequence every send link toward this peer shares (it is the GCM nonce).</summary>
    public RelayLinkSequence Sequence { get; }

    public RelaySendLink ControlSend { get; }

    public object ControlLock { get; } = new();

    public LinkProbeStats Probes { get; } = new();

    /// <summary>
    /// Seals a new packet toward this peer into <paramref name="buffer"/> and sends it, on the calling loop's own send
    /// link. No allocation after the loop's first packet to this peer.
    /// </summary>
    public bool TrySealAndSend(byte[] buffer, in RelayV2Header header, ReadOnlySpan<byte> payload)
    {
        int written;
        int row = LoopThread.Row;
        if (row == 0)
        {
            lock (ControlLock)
            {
                if (Disposed || !ControlSend.TrySeal(buffer, header, payload, out written))
                    return false;
            }
        }
        else if (Disposed || !LoopLink(row).TrySeal(buffer, header, payload, out written))
            return false;
        return Socket.SendTo(buffer.AsSpan(0, written), Address);
    }

    /// <summary>
    /// A middle hop: reseals an opened packet (in place) for this peer, hop limit minus one, and sends it. False when
    /// the hop limit is used up or the peer left.
    /// </summary>
    public bool TryResealAndSend(Span<byte> opened)
    {
        int row = LoopThread.Row;
        if (row == 0)
        {
            lock (ControlLock)
            {
                if (Disposed || !ControlSend.TryResealForNextHop(opened))
                    return false;
            }
        }
        else if (Disposed || !LoopLink(row).TryResealForNextHop(opened))
            return false;
        return Socket.SendTo(opened, Address);
    }

    private RelaySendLink LoopLink(int row) => _loopLinks[row] ??= new RelaySendLink(_sendKey, Sequence);

    /// <summary>Under <see cref="ControlLock"/>: the peer left and its control link is gone.</summary>
    public bool Disposed => Volatile.Read(ref _disposed);
    private bool _disposed;

    public void Dispose()
    {
        lock (ControlLock)
        {
            if (Disposed)
                return;
            Volatile.Write(ref _disposed, true);
            ControlSend.Dispose();
        }
        // Loops see Disposed before their next packet; the peer was retired one update before this (RelayPeers).
        foreach (var link in _loopLinks)
            link?.Dispose();
        Receive.Dispose();
    }
}
