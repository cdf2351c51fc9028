namespace MediaPlane.Transport;

/// <summary>
/// The mailbox of one receive loop: any thread posts, only the loop takes (multi-producer, single
/// consumer; a bounded ring after Vyukov's, each cell stamped with the position it may be written or read
/// at). Bounded and preallocated: posting allocates nothing and fails, rather than waits, when full.
/// </summary>
/// <remarks>
/// The thread model of the media plane. Each receive loop (one thread per socket of the media or relay
/// port) owns the producers whose packets it receives: their retransmission buffer and receive statistics,
/// their consumers' rewriters and counters, their relay sinks. Nothing else touches them. Work about a
/// producer that arrives elsewhere (a subscriber's NACK or PLI on its own loop, a report timer, a control
/// call) is posted here and runs on the owner. Counters are per loop (<see cref="LoopCounters"/>), summed
/// when read. Topology (which consumers a producer has) changes on control threads as copy-on-write arrays
/// the loops read without a lock.
/// </remarks>
internal sealed class LoopWorkQueue
{
    private struct Cell
    {
        public long Stamp;
        public LoopWork Work;
    }

    private readonly Cell[] _cells;
    private readonly int _mask;
    private long _head; // only the loop reads and moves it
    private PaddedPosition _tail;

    public LoopWorkQueue(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "A power of two, at least 2.");
        _cells = new Cell[capacity];
        _mask = capacity - 1;
        for (int i = 0; i < capacity; i++)
            _cells[i].Stamp = i;
    }

    public int Capacity => _cells.Length;

    /// <summary>From any thread. False when the ring is full (the caller counts the loss).</summary>
    public bool TryPost(in LoopWork work)
    {
        long position = Volatile.Read(ref _tail.Value);
        while (true)
        {
            ref var cell = ref _cells[position & _mask];
            long difference = Volatile.Read(ref cell.Stamp) - position;
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _tail.Value, position + 1, position);
                if (seen == position)
                {
                    cell.Work = work;
                    Volatile.Write(ref cell.Stamp, position + 1);
                    return true;
                }
                position = seen;
            }
            else if (difference < 0)
            {
                return false; // the loop has not taken this cell's previous work yet: full
            }
            else
            {
                position = Volatile.Read(ref _tail.Value);
            }
        }
    }

    /// <summary>On the loop's thread only.</summary>
    public bool TryTake(out LoopWork work)
    {
        ref var cell = ref _cells[_head & _mask];
        if (Volatile.Read(ref cell.Stamp) != _head + 1)
        {
            work = default;
            return false;
        }
        work = cell.Work;
        cell.Work = default; // let a closed session's objects go
        Volatile.Write(ref cell.Stamp, _head + _cells.Length);
        _head++;
        return true;
    }

    /// <summary>The posters' position on its own cache lines, away from the loop's.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedPosition
    {
        [System.Runtime.InteropServices.FieldOffset(64)]
        public long Value;
    }
}
