namespace MediaPlane.Routing;

/// <summary>
/// The last N packets of one producer, indexed by sequence number, to answer NACKs (RFC 4585 §6.2.1)
/// without asking the publisher. Slots are preallocated once; storing a packet copies it into its slot,
/// so nothing is allocated per packet. A slot remembers the extended sequence number it holds, so a
/// NACK for a packet already overwritten (older than N) finds nothing instead of the wrong packet.
/// Not thread-safe: one producer's packets arrive on one receive thread, and NACKs are served there too.
/// </summary>
public sealed class RetransmissionBuffer
{
    public const int MaxPacketLength = 1500;

    private readonly byte[] _data;
    private readonly int[] _lengths;
    private readonly long[] _sequences;
    private readonly int _mask;
    private SequenceUnwrapper _unwrapper;

    /// <param name="capacity">Packets kept; rounded up to a power of two.</param>
    public RetransmissionBuffer(int capacity)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));
        _mask = size - 1;
        _data = GC.AllocateUninitializedArray<byte>(size * MaxPacketLength, pinned: true);
        _lengths = new int[size];
        _sequences = new long[size];
        Array.Fill(_sequences, -1L);
    }

    public int Capacity => _mask + 1;

    /// <summary>Keeps a copy of a plain (decrypted) RTP packet. Oversized packets are not kept.</summary>
    public void Store(ushort sequence, ReadOnlySpan<byte> packet)
    {
        long extended = _unwrapper.Unwrap(sequence);
        if (packet.Length > MaxPacketLength || extended <= _unwrapper.Highest - Capacity)
            return;
        int slot = (int)(extended & _mask);
        packet.CopyTo(_data.AsSpan(slot * MaxPacketLength, MaxPacketLength));
        _lengths[slot] = packet.Length;
        _sequences[slot] = extended;
    }

    /// <summary>The stored packet with this sequence number, if it is still within the last N.</summary>
    public bool TryGet(ushort sequence, out ReadOnlySpan<byte> packet)
    {
        long highest = _unwrapper.Highest;
        long candidate = (highest & ~0xFFFFL) | sequence;
        if (candidate > highest)
            candidate -= 65536;
        int slot = (int)(candidate & _mask);
        if (candidate >= 0 && _sequences[slot] == candidate)
        {
            packet = _data.AsSpan(slot * MaxPacketLength, _lengths[slot]);
            return true;
        }
        packet = default;
        return false;
    }
}
