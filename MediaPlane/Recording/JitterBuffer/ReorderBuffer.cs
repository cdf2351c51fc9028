namespace MediaPlane.Recording.JitterBuffer;

/// <summary>
/// Puts one RTP stream's packets back in sequence order for the depacketizer. Packets are held by extended
/// sequence number (RFC 3550 A.1 style: 16-bit numbers extended nearest to the highest seen) in a ring of
/// preallocated MTU-sized slots. The next packet in order is released as soon as it is there; a missing one
/// is waited for until the packet after it has been held <c>maxWaitMicros</c> (time for a NACK to repair it)
/// or the ring is half full, then given up (counted in <see cref="LostPackets"/>) — the depacketizer sees the
/// gap and drops the broken frame. <see cref="CollectMissing"/> lists the holes to NACK (RFC 4585 §6.2.1).
/// Single owner thread; nothing is allocated after construction. A released packet's bytes stay valid until
/// the next <see cref="Insert"/>.
/// </summary>
public sealed class ReorderBuffer
{
    public const int MaxPacketBytes = 1500;

    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private readonly long[] _sequences; // extended sequence number held in each slot, -1 when empty
    private readonly long[] _arrivals;
    private readonly int _mask;
    private readonly long _maxWaitMicros;
    private bool _started;
    private long _next;     // extended sequence number to release next
    private long _highest;  // highest extended sequence number inserted
    private int _held;

    public ReorderBuffer(int capacity, long maxWaitMicros)
    {
        if (capacity < 4 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a power of two, at least 4");
        _slots = new byte[capacity][];
        for (int i = 0; i < capacity; i++)
            _slots[i] = new byte[MaxPacketBytes];
        _lengths = new int[capacity];
        _sequences = new long[capacity];
        Array.Fill(_sequences, -1L);
        _arrivals = new long[capacity];
        _mask = capacity - 1;
        _maxWaitMicros = maxWaitMicros;
    }

    public int Capacity => _slots.Length;

    /// <summary>Packets given up on after waiting.</summary>
    public long LostPackets { get; private set; }

    /// <summary>Packets that came after their turn was given up, or twice.</summary>
    public long LateOrDuplicatePackets { get; private set; }

    public int HeldPackets => _held;

    public InsertResult Insert(ReadOnlySpan<byte> packet, ushort sequenceNumber, long arrivalMicros)
    {
        if (packet.Length > MaxPacketBytes)
            return InsertResult.TooLarge;
        long extended = _started ? _highest + (short)(sequenceNumber - (ushort)_highest) : sequenceNumber + 65536L;
        if (!_started)
        {
            _started = true;
            _next = _highest = extended;
        }
        if (extended < _next)
        {
            LateOrDuplicatePackets++;
            return InsertResult.LateOrDuplicate;
        }
        if (extended - _next >= _slots.Length)
        {
            // A jump larger than the ring: the sender restarted or most of a second was lost. Start over there.
            LostPackets += extended - _next - _held;
            Array.Fill(_sequences, -1L);
            _held = 0;
            _next = extended;
        }
        int slot = (int)(extended & _mask);
        if (_sequences[slot] == extended)
        {
            LateOrDuplicatePackets++;
            return InsertResult.LateOrDuplicate;
        }
        packet.CopyTo(_slots[slot]);
        _lengths[slot] = packet.Length;
        _sequences[slot] = extended;
        _arrivals[slot] = arrivalMicros;
        _held++;
        if (extended > _highest)
            _highest = extended;
        return InsertResult.Held;
    }

    /// <summary>Drops everything held and forgets the sequence (the sender restarted its stream).</summary>
    public void Reset()
    {
        Array.Fill(_sequences, -1L);
        _held = 0;
        _started = false;
    }

    /// <summary>Releases the next packet in order, skipping a missing one once it has waited long enough.</summary>
    public bool TryRelease(long nowMicros, out ReadOnlySpan<byte> packet)
    {
        packet = default;
        while (_held > 0)
        {
            int slot = (int)(_next & _mask);
            if (_sequences[slot] == _next)
            {
                packet = _slots[slot].AsSpan(0, _lengths[slot]);
                _sequences[slot] = -1;
                _held--;
                _next++;
                return true;
            }
            if (!ShouldGiveUp(nowMicros))
                return false;
            LostPackets++;
            _next++;
        }
        return false;
    }

    /// <summary>Give up on <see cref="_next"/> when the first packet held after it has waited past the deadline.</summary>
    private bool ShouldGiveUp(long nowMicros)
    {
        if (_highest - _next >= _slots.Length / 2)
            return true;
        for (long sequence = _next + 1; sequence <= _highest; sequence++)
        {
            int slot = (int)(sequence & _mask);
            if (_sequences[slot] == sequence)
                return nowMicros - _arrivals[slot] >= _maxWaitMicros;
        }
        return false;
    }

    /// <summary>Writes the 16-bit sequence numbers still missing before the highest received; returns how many.</summary>
    public int CollectMissing(Span<ushort> destination)
    {
        int count = 0;
        for (long sequence = _next; sequence < _highest && count < destination.Length; sequence++)
        {
            if (_sequences[(int)(sequence & _mask)] != sequence)
                destination[count++] = (ushort)sequence;
        }
        return count;
    }
}

public enum InsertResult
{
    Held,
    /// <summary>Its turn was already given up, or it was received before.</summary>
    LateOrDuplicate,
    /// <summary>Larger than <see cref="ReorderBuffer.MaxPacketBytes"/>.</summary>
    TooLarge,
}
