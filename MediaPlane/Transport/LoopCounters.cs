namespace MediaPlane.Transport;

/// <summary>
/// A set of counters (at most <see cref="MaxCounters"/>) that many threads bump without sharing a cache
/// line: each receive loop's thread has its own row and increments it with plain writes (one writer per
/// row); every other thread (timers, control calls) shares row 0 through Interlocked. Reads sum the rows.
/// </summary>
internal sealed class LoopCounters
{
    public const int MaxCounters = 32; // one row is 256 bytes: four cache lines, none shared with another row
    private readonly long[] _rows = new long[(LoopThread.MaxRows + 1) * MaxCounters];

    public void Increment(int counter) => Add(counter, 1);

    public void Add(int counter, long value)
    {
        int row = LoopThread.Row;
        if (row == 0)
        {
            Interlocked.Add(ref _rows[counter], value);
            return;
        }
        ref long slot = ref _rows[row * MaxCounters + counter];
        Volatile.Write(ref slot, slot + value);
    }

    public long Read(int counter)
    {
        long sum = 0;
        for (int i = counter; i < _rows.Length; i += MaxCounters)
            sum += Volatile.Read(ref _rows[i]);
        return sum;
    }
}

/// <summary>
/// Which counter row the current thread writes: receive loops take a row of their own while they run
/// (<see cref="Enter"/>, <see cref="Exit"/>); any other thread, or a loop beyond <see cref="MaxRows"/>, uses
/// the shared row 0. A row given back keeps its sums; the next loop to take it adds on top.
/// </summary>
internal static class LoopThread
{
    public const int MaxRows = 63;
    private static readonly bool[] s_taken = new bool[MaxRows + 1];

    [ThreadStatic]
    private static int t_row;

    public static int Row => t_row;

    public static void Enter()
    {
        lock (s_taken)
        {
            for (int row = 1; row <= MaxRows; row++)
            {
                if (!s_taken[row])
                {
                    s_taken[row] = true;
                    t_row = row;
                    return;
                }
            }
        }
    }

    public static void Exit()
    {
        if (t_row == 0)
            return;
        lock (s_taken)
            s_taken[t_row] = false;
        t_row = 0;
    }
}
