namespace MediaPlane.Fec;

/// <summary>
/// Sending side of one relay link: folds every sent packet into the running parity and, after k packets, hands out
/// one FEC payload. Buffers are allocated once; one owner thread (the link's sender).
/// </summary>
public sealed class XorFecEncoder(int maxPacketLength = XorFecEncoder.DefaultMaxPacketLength)
{
    public const int DefaultMaxPacketLength = 1500;

    private readonly byte[] _parity = new byte[maxPacketLength];
    private int _groupSize;
    private int _added;
    private int _longest;
    private ushort _lengthXor;
    private ulong _first;

    /// <summary>Packets per parity packet; 0 turns FEC off. Takes effect at the next group.</summary>
    public int GroupSize { get; set; }

    /// <summary>Bytes a payload written by <see cref="TryAdd"/> needs at most.</summary>
    public int MaxPayloadLength => FecParityPacket.HeaderLength + _parity.Length;

    /// <summary>
    /// Adds a sent packet with its per-link sequence number. Returns true with the FEC payload in
    /// <paramref name="fecPayload"/> when it completed a group. Sequence numbers must be consecutive within a group;
    /// a gap starts a new group.
    /// </summary>
    public bool TryAdd(ulong sequence, ReadOnlySpan<byte> packet, Span<byte> fecPayload, out int written)
    {
        written = 0;
        if (_added > 0 && sequence != _first + (ulong)_added)
            _added = 0;
        if (_added == 0)
        {
            _groupSize = GroupSize;
            if (_groupSize < FecParityPacket.MinCount || packet.Length > _parity.Length)
                return false;
            _first = sequence;
            _longest = 0;
            _lengthXor = 0;
        }
        if (packet.Length > _parity.Length)
        {
            _added = 0;
            return false;
        }
        if (packet.Length > _longest)
        {
            _parity.AsSpan(_longest, packet.Length - _longest).Clear();
            _longest = packet.Length;
        }
        var parity = _parity.AsSpan(0, packet.Length);
        for (int i = 0; i < parity.Length; i++)
            parity[i] ^= packet[i];
        _lengthXor ^= (ushort)packet.Length;
        if (++_added < _groupSize)
            return false;

        _added = 0;
        if (fecPayload.Length < FecParityPacket.HeaderLength + _longest)
            return false;
        FecParityPacket.WriteHeader(fecPayload, _first, _groupSize, _lengthXor);
        _parity.AsSpan(0, _longest).CopyTo(fecPayload[FecParityPacket.HeaderLength..]);
        written = FecParityPacket.HeaderLength + _longest;
        return true;
    }
}
