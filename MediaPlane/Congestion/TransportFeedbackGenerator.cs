using MediaPlane.Rtcp;

namespace MediaPlane.Congestion;

/// <summary>
/// Receive side of transport-wide congestion control for one publisher session
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): records each arriving packet's
/// transport-wide sequence number and arrival time, and builds RTCP transport-cc feedback packets.
/// <para>
/// Owner: the loop thread that receives the publisher's packets; not thread-safe. The caller reads the
/// sequence number with <see cref="Rtp.TransportSequenceNumberExtension"/>, calls <see cref="OnPacket"/>
/// per packet, and on its timer (or after a packet) asks <see cref="IsFeedbackDue"/> and then calls
/// <see cref="TryBuildFeedback"/> until it returns false (several packets when a window does not fit one).
/// </para>
/// <para>
/// Memory is one ring of <see cref="TransportFeedbackOptions.Capacity"/> arrival times indexed by the
/// unwrapped sequence number. A packet arriving after its window was reported (reordering) moves the
/// window start back to it while its slot is still in the ring, so it is reported again as received (the
/// sender keeps the later report, as Chromium's own receiver does). Lost packets are reported as not
/// received; a run of more than <see cref="TransportFeedbackOptions.MaxStatusesPerPacket"/> losses before
/// any arrival is skipped rather than reported. Arrival times are µs on the caller's monotonic clock; the
/// reference time field keeps their low 24 bits of 64 ms units (wraps after 12.4 days, which the sender
/// handles).
/// </para>
/// </summary>
public sealed class TransportFeedbackGenerator
{
    private const long NotReceived = long.MinValue;
    // Fixed part of the packet: RTCP feedback header (12) + base, count, reference time, fb count (8).
    private const int FixedBytes = 20;

    private readonly TransportFeedbackOptions _options;
    private readonly long[] _arrivalMicros;
    private readonly long _mask;
    private readonly TwccArrival[] _scratch;
    private readonly uint _senderSsrc;
    private uint _mediaSsrc;
    private bool _started;
    private long _nextToReport;   // unwrapped sequence number of the window start
    private long _highest;        // highest unwrapped sequence number received
    private long _lastFeedbackMicros = long.MinValue;
    private byte _feedbackCount;

    public TransportFeedbackGenerator(uint senderSsrc, uint mediaSsrc, TransportFeedbackOptions? options = null)
    {
        _options = options ?? new TransportFeedbackOptions();
        if (_options.Capacity < 64 || (_options.Capacity & (_options.Capacity - 1)) != 0 || _options.Capacity > 32768)
            throw new ArgumentException("Capacity must be a power of two between 64 and 32768.", nameof(options));
        if (_options.MaxStatusesPerPacket is < 8 or > 1024)
            throw new ArgumentException("MaxStatusesPerPacket must be 8-1024.", nameof(options));
        _senderSsrc = senderSsrc;
        _mediaSsrc = mediaSsrc;
        _arrivalMicros = new long[_options.Capacity];
        _arrivalMicros.AsSpan().Fill(NotReceived);
        _mask = _options.Capacity - 1;
        _scratch = new TwccArrival[_options.MaxStatusesPerPacket];
    }

    /// <summary>The media SSRC written in the feedback (the publisher's main SSRC; may be set once known).</summary>
    public uint MediaSsrc
    {
        get => _mediaSsrc;
        set => _mediaSsrc = value;
    }

    /// <summary>Statuses recorded and not yet reported (the window start to the highest arrival).</summary>
    public int PendingCount => _started && _nextToReport <= _highest ? (int)(_highest - _nextToReport + 1) : 0;

    /// <summary>Records one arrival. Duplicates keep the first arrival time.</summary>
    public void OnPacket(ushort transportSequenceNumber, long arrivalMicros)
    {
        if (!_started)
        {
            _started = true;
            // Unwrapped numbers start one cycle up so that a packet reordered before the first stays positive.
            _highest = _nextToReport = 65536 + transportSequenceNumber;
            _arrivalMicros[_highest & _mask] = arrivalMicros;
            return;
        }
        long sequence = _highest + (short)(transportSequenceNumber - (ushort)_highest);
        if (sequence > _highest)
        {
            long gap = sequence - _highest;
            if (gap >= _arrivalMicros.Length)
                _arrivalMicros.AsSpan().Fill(NotReceived);
            else
                for (long s = _highest + 1; s < sequence; s++)
                    _arrivalMicros[s & _mask] = NotReceived;
            _highest = sequence;
            _arrivalMicros[sequence & _mask] = arrivalMicros;
            // Bounded memory: statuses older than the ring are dropped unreported.
            if (_highest - _nextToReport >= _arrivalMicros.Length)
                _nextToReport = _highest - _arrivalMicros.Length + 1;
            return;
        }
        if (_highest - sequence >= _arrivalMicros.Length)
            return; // too old to be in the ring any more
        ref long slot = ref _arrivalMicros[sequence & _mask];
        if (slot != NotReceived)
            return;
        slot = arrivalMicros;
        if (sequence < _nextToReport)
            _nextToReport = sequence; // reordered after its report: report the window again from it
    }

    /// <summary>True when something is pending and the interval has passed, or a full packet is waiting.</summary>
    public bool IsFeedbackDue(long nowMicros)
    {
        int pending = PendingCount;
        return pending > 0 && (pending >= _options.MaxStatusesPerPacket || _lastFeedbackMicros == long.MinValue
                               || nowMicros - _lastFeedbackMicros >= _options.IntervalMicros);
    }

    /// <summary>
    /// Writes one feedback packet for the oldest pending statuses and moves the window past them. False when
    /// nothing is pending or <paramref name="destination"/> is smaller than <see cref="TransportFeedbackOptions.MaxPacketBytes"/> needs.
    /// </summary>
    public bool TryBuildFeedback(long nowMicros, Span<byte> destination, out int written)
    {
        written = 0;
        if (PendingCount == 0)
            return false;
        if (!TrySelectWindow(out long end, out int arrivals))
            return false;
        int statusCount = (int)(end - _nextToReport + 1);
        if (!RtcpTransportFeedback.TryWrite(destination, _senderSsrc, _mediaSsrc, (ushort)_nextToReport, statusCount, _feedbackCount,
                _scratch.AsSpan(0, arrivals), out written))
            return false;
        _feedbackCount++;
        _nextToReport = end + 1;
        _lastFeedbackMicros = nowMicros;
        return true;
    }

    /// <summary>
    /// From the window start, takes statuses while the packet stays within the size limit and every receive
    /// delta fits 16 signed bits of 250 µs (§3.1.5); fills the scratch arrivals. The window ends at its last
    /// arrival: lost packets after it open the next packet.
    /// </summary>
    private bool TrySelectWindow(out long end, out int arrivals)
    {
        end = 0;
        arrivals = 0;
        long previousTicks = 0;
        int deltaBytes = 0;
        for (long s = _nextToReport; s <= _highest; s++)
        {
            int statuses = (int)(s - _nextToReport + 1);
            if (statuses > _options.MaxStatusesPerPacket)
            {
                if (arrivals > 0)
                    break;
                _nextToReport = s; // a loss run longer than a packet before any arrival: skip it
                statuses = 1;
            }
            long arrival = _arrivalMicros[s & _mask];
            if (arrival == NotReceived)
                continue;
            long ticks = FloorDiv(arrival + RtcpTransportFeedback.DeltaTickMicros / 2, RtcpTransportFeedback.DeltaTickMicros);
            if (arrivals == 0)
                previousTicks = FloorDiv(arrival, RtcpTransportFeedback.ReferenceTickMicros) * (RtcpTransportFeedback.ReferenceTickMicros / RtcpTransportFeedback.DeltaTickMicros);
            long delta = ticks - previousTicks;
            if (delta is < short.MinValue or > short.MaxValue)
                break;
            int bytes = delta is >= 0 and <= 255 ? 1 : 2;
            // Chunks: every greedy chunk covers 7 statuses or more except the last one.
            int size = FixedBytes + 2 * ((statuses + 6) / 7) + deltaBytes + bytes + 3;
            if (size > _options.MaxPacketBytes)
                break;
            deltaBytes += bytes;
            previousTicks = ticks;
            _scratch[arrivals++] = new TwccArrival((ushort)s, arrival);
            end = s;
        }
        return arrivals > 0;
    }

    private static long FloorDiv(long value, long divisor) =>
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}
