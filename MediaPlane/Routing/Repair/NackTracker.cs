namespace MediaPlane.Routing.Repair;

/// <summary>
/// Which packets of one publisher's stream are missing and when to NACK them (RFC 4585 §6.2.1). Sequence
/// numbers are extended across the 16-bit wrap (RFC 3550 §A.1); a gap's numbers join the missing list, a
/// packet that arrives late or retransmitted (RFC 4588) leaves it. Each missing packet is NACKed at once,
/// then again every round trip, at most <see cref="MaxRetries"/> times and for at most
/// <see cref="MaxAgeMs"/>; after that, or when more than <see cref="MaxMissing"/> are missing at once, the
/// tracker gives up on it and asks for a keyframe (<see cref="TakeKeyframeNeeded"/>). The round trip is
/// measured from NACK to retransmission (only a packet NACKed once counts, Karn's rule), from
/// <see cref="DefaultRoundTripMs"/>. Fixed arrays, nothing allocated per packet. Owner: the producer's
/// receive loop; not thread-safe.
/// </summary>
public sealed class NackTracker
{
    /// <summary>Missing packets tracked at once; a longer gap is not NACKed at all.</summary>
    public const int MaxMissing = 256;
    /// <summary>NACKs per missing packet.</summary>
    public const int MaxRetries = 10;
    /// <summary>How long a missing packet is asked for, from when its gap was seen.</summary>
    public const long MaxAgeMs = 1500;
    public const long DefaultRoundTripMs = 100;
    /// <summary>Retries never come faster than this, however short the round trip.</summary>
    public const long MinRetryIntervalMs = 20;
    private const long MaxRoundTripMs = 1000;
    /// <summary>Due NACKs are looked for at most this often while packets arrive (new gaps at once).</summary>
    private const long CollectIntervalMs = 5;

    // The missing list, in increasing extended sequence order.
    private readonly long[] _sequences = new long[MaxMissing];
    private readonly long[] _missedAtMs = new long[MaxMissing];
    private readonly long[] _lastNackMs = new long[MaxMissing];
    private readonly byte[] _retries = new byte[MaxMissing];
    private int _count;

    private SequenceUnwrapper _unwrapper;
    private bool _started;
    private bool _keyframeNeeded;
    private long _nextCollectMs;

    public int MissingCount => _count;

    /// <summary>The smoothed round trip used to space retries.</summary>
    public long RoundTripMs { get; private set; } = DefaultRoundTripMs;

    /// <summary>Packets given up on (too old, too many retries, or beyond <see cref="MaxMissing"/>).</summary>
    public long GivenUp { get; private set; }

    /// <summary>One packet of the stream, original or (<paramref name="isRetransmission"/>) unwrapped from RTX.</summary>
    public PacketArrival OnPacket(ushort sequence, long nowMs, bool isRetransmission = false)
    {
        if (!_started)
        {
            _started = true;
            _unwrapper.Unwrap(sequence);
            return PacketArrival.New;
        }
        long highest = _unwrapper.Highest;
        long extended = _unwrapper.Unwrap(sequence);
        if (extended > highest)
        {
            long gap = extended - highest - 1;
            if (gap > MaxMissing)
            {
                // A jump this long is not repaired packet by packet: the decoder needs a keyframe anyway.
                GiveUp(_count + gap);
                _count = 0;
            }
            else
            {
                for (long missing = highest + 1; missing < extended; missing++)
                    Add(missing, nowMs);
            }
            return PacketArrival.New;
        }
        int index = IndexOf(extended);
        if (index < 0)
            return PacketArrival.Old;
        if (isRetransmission && _retries[index] == 1)
        {
            long sample = Math.Clamp(nowMs - _lastNackMs[index], 1, MaxRoundTripMs);
            RoundTripMs = (7 * RoundTripMs + sample) / 8;
        }
        RemoveAt(index);
        return PacketArrival.Recovered;
    }

    /// <summary>Whether <see cref="CollectDue"/> may have something to do now.</summary>
    public bool IsDue(long nowMs) => _count > 0 && nowMs >= _nextCollectMs;

    /// <summary>
    /// The missing packets to NACK now, in increasing order (as <see cref="Rtcp.RtcpGenericNack"/> packs them),
    /// at most <paramref name="destination"/>'s length; drops those given up on.
    /// </summary>
    public int CollectDue(long nowMs, Span<ushort> destination)
    {
        _nextCollectMs = nowMs + CollectIntervalMs;
        long retryInterval = Math.Max(MinRetryIntervalMs, RoundTripMs);
        int written = 0, kept = 0;
        for (int i = 0; i < _count; i++)
        {
            bool waited = nowMs - _lastNackMs[i] >= retryInterval;
            if (nowMs - _missedAtMs[i] > MaxAgeMs || (_retries[i] >= MaxRetries && waited))
            {
                GiveUp(1);
                continue;
            }
            if (written < destination.Length && _retries[i] < MaxRetries && (_retries[i] == 0 || waited))
            {
                destination[written++] = (ushort)_sequences[i];
                _retries[i]++;
                _lastNackMs[i] = nowMs;
            }
            if (kept != i)
                Move(i, kept);
            kept++;
        }
        _count = kept;
        return written;
    }

    /// <summary>True once after the tracker gave up on a packet: the decoder downstream needs a keyframe.</summary>
    public bool TakeKeyframeNeeded()
    {
        bool needed = _keyframeNeeded;
        _keyframeNeeded = false;
        return needed;
    }

    private void Add(long sequence, long nowMs)
    {
        if (_count == MaxMissing)
        {
            GiveUp(1);
            RemoveAt(0);
        }
        _sequences[_count] = sequence;
        _missedAtMs[_count] = nowMs;
        _lastNackMs[_count] = nowMs;
        _retries[_count] = 0;
        _count++;
        _nextCollectMs = nowMs; // a new gap is NACKed with this packet
    }

    private void GiveUp(long packets)
    {
        GivenUp += packets;
        _keyframeNeeded = true;
    }

    private int IndexOf(long sequence)
    {
        int index = Array.BinarySearch(_sequences, 0, _count, sequence);
        return index >= 0 ? index : -1;
    }

    private void RemoveAt(int index)
    {
        for (int i = index + 1; i < _count; i++)
            Move(i, i - 1);
        _count--;
    }

    private void Move(int from, int to)
    {
        _sequences[to] = _sequences[from];
        _missedAtMs[to] = _missedAtMs[from];
        _lastNackMs[to] = _lastNackMs[from];
        _retries[to] = _retries[from];
    }
}
