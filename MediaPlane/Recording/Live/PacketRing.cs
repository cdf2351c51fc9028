namespace MediaPlane.Recording.Live;

/// <summary>
/// Hands one track's RTP packets from the producer's receive loop to the recording's writer thread: a
/// single-producer, single-consumer ring of preallocated MTU-sized slots. The loop copies each packet in
/// (nothing is allocated per packet); the writer copies it out. When the writer falls behind and the ring is
/// full, the packet is dropped and counted: the reorder buffer then sees a hole, NACKs it and, if it is not
/// repaired, asks for a keyframe — the file never gets a broken frame. A producer that moves loops hands
/// over on its old owner before the new one writes, so there is still one writer at a time.
/// </summary>
internal sealed class PacketRing
{
    public const int MaxPacketBytes = 1500;

    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private readonly long[] _arrivals;
    private readonly int _mask;
    private long _written; // only the loop moves it
    private long _read;    // only the writer thread moves it
    private long _dropped;

    public PacketRing(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "A power of two, at least 2.");
        _slots = new byte[capacity][];
        for (int i = 0; i < capacity; i++)
            _slots[i] = new byte[MaxPacketBytes];
        _lengths = new int[capacity];
        _arrivals = new long[capacity];
        _mask = capacity - 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Packets refused because the ring was full or the packet too large.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>On the producer's loop: copies the packet in; false (and counted) when full or too large.</summary>
    public bool TryWrite(ReadOnlySpan<byte> packet, long arrivalUnixMicros)
    {
        long written = _written;
        if (packet.Length > MaxPacketBytes || written - Volatile.Read(ref _read) >= _slots.Length)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
        int slot = (int)(written & _mask);
        packet.CopyTo(_slots[slot]);
        _lengths[slot] = packet.Length;
        _arrivals[slot] = arrivalUnixMicros;
        Volatile.Write(ref _written, written + 1); // publishes the slot's bytes to the writer
        return true;
    }

    /// <summary>On the writer thread: the oldest packet, valid until <see cref="Release"/>.</summary>
    public bool TryPeek(out ReadOnlySpan<byte> packet, out long arrivalUnixMicros)
    {
        long read = _read;
        if (read == Volatile.Read(ref _written))
        {
            packet = default;
            arrivalUnixMicros = 0;
            return false;
        }
        int slot = (int)(read & _mask);
        packet = _slots[slot].AsSpan(0, _lengths[slot]);
        arrivalUnixMicros = _arrivals[slot];
        return true;
    }

    /// <summary>On the writer thread: frees the slot <see cref="TryPeek"/> returned.</summary>
    public void Release() => Volatile.Write(ref _read, _read + 1);
}
