using System.Buffers;
using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>Reception status of one packet in a transport-wide feedback.</summary>
public enum TwccStatus : byte
{
    NotReceived = 0,
    /// <summary>Received, delta 0-63.75 ms (one byte).</summary>
    ReceivedSmallDelta = 1,
    /// <summary>Received, delta negative or above 63.75 ms (two bytes, signed).</summary>
    ReceivedLargeDelta = 2,
}

/// <summary>One packet's result decoded from a transport-wide feedback.</summary>
public readonly record struct TwccPacketResult(ushort SequenceNumber, TwccStatus Status, long ReceiveTimeMicros);

/// <summary>One packet's arrival, the input to <see cref="RtcpTransportFeedback.TryWrite"/>.</summary>
public readonly record struct TwccArrival(ushort SequenceNumber, long ArrivalTimeMicros);

/// <summary>
/// Transport-wide congestion control feedback, draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1: RTPFB (205), FMT 15.
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |V=2|P|  FMT=15 |    PT=205     |           length              |
///  |                     SSRC of packet sender                     |
///  |                      SSRC of media source                     |
///  |      base sequence number     |      packet status count      |
///  |                 reference time                | fb pkt. count |
///  |          packet chunk         |         packet chunk          |
///  .                                                               .
///  |         packet chunk          |  recv delta   |  recv delta   |
///  .                                                               .
///  |           recv delta          |  recv delta   | zero padding  |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Reference time: signed 24 bits, units of 64 ms. Deltas: units of 250 µs, 1 byte unsigned
/// (small) or 2 bytes signed (large). Chunks (§3.1.3, §3.1.4):
/// <code>
///  run length:    |T=0| S |       run length (13 bits)       |
///  status vector: |T=1|S=0|  14 one-bit symbols (0 lost, 1 small) |
///                 |T=1|S=1|  7 two-bit symbols (status values)    |
/// </code>
/// </summary>
public readonly ref struct RtcpTransportFeedback
{
    public const int Format = 15;
    public const long DeltaTickMicros = 250;
    public const long ReferenceTickMicros = 64_000;
    private const int FixedFciLength = 8;

    private readonly ReadOnlySpan<byte> _fci;

    private RtcpTransportFeedback(uint sender, uint media, ReadOnlySpan<byte> fci, int chunkBytes, int receivedCount)
    {
        SenderSsrc = sender;
        MediaSsrc = media;
        _fci = fci;
        ChunkBytes = chunkBytes;
        ReceivedCount = receivedCount;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public ushort BaseSequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_fci);

    public int PacketStatusCount => BinaryPrimitives.ReadUInt16BigEndian(_fci[2..]);

    /// <summary>Reference time in 64 ms units (signed 24-bit).</summary>
    public int ReferenceTime => (int)(BinaryPrimitives.ReadUInt32BigEndian(_fci[4..]) & 0xFFFFFF00) >> 8;

    public byte FeedbackPacketCount => _fci[7];

    /// <summary>Packets reported as received.</summary>
    public int ReceivedCount { get; }

    private int ChunkBytes { get; }

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpTransportFeedback feedback, out RtcpParseError error)
    {
        feedback = default;
        if (!RtcpFeedbackHeader.TryRead(packet, RtcpPacketType.TransportFeedback, Format, out uint sender, out uint media, out var fci, out error))
            return false;
        if (fci.Length < FixedFciLength)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        int statusCount = BinaryPrimitives.ReadUInt16BigEndian(fci[2..]);
        if (!TryWalkChunks(fci, statusCount, default, out int chunkBytes, out int deltaBytes, out int received))
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        if (FixedFciLength + chunkBytes + deltaBytes > fci.Length)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        feedback = new RtcpTransportFeedback(sender, media, fci, chunkBytes, received);
        return true;
    }

    /// <summary>
    /// Decodes every packet status (PacketStatusCount of them) with absolute receive times
    /// (reference time × 64 ms + running sum of deltas; 0 for lost packets).
    /// </summary>
    public bool TryGetPacketResults(Span<TwccPacketResult> destination, out int count)
    {
        count = 0;
        int statusCount = PacketStatusCount;
        if (destination.Length < statusCount)
            return false;
        byte[]? rented = null;
        Span<byte> statuses = statusCount <= 1024 ? stackalloc byte[statusCount] : (rented = ArrayPool<byte>.Shared.Rent(statusCount));
        try
        {
            return TryDecode(statuses[..statusCount], destination, out count);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private bool TryDecode(Span<byte> statuses, Span<TwccPacketResult> destination, out int count)
    {
        count = 0;
        int statusCount = statuses.Length;
        if (!TryWalkChunks(_fci, statusCount, statuses, out _, out _, out _))
            return false;
        var deltas = _fci[(FixedFciLength + ChunkBytes)..];
        long time = ReferenceTime * ReferenceTickMicros;
        int d = 0;
        ushort sequence = BaseSequenceNumber;
        for (int i = 0; i < statusCount; i++, sequence++)
        {
            var status = (TwccStatus)statuses[i];
            long at = 0;
            if (status == TwccStatus.ReceivedSmallDelta)
            {
                time += deltas[d++] * DeltaTickMicros;
                at = time;
            }
            else if (status == TwccStatus.ReceivedLargeDelta)
            {
                time += BinaryPrimitives.ReadInt16BigEndian(deltas[d..]) * DeltaTickMicros;
                d += 2;
                at = time;
            }
            destination[i] = new TwccPacketResult(sequence, status, at);
        }
        count = statusCount;
        return true;
    }

    /// <summary>
    /// Walks the chunk list until <paramref name="statusCount"/> statuses are covered, optionally
    /// writing them out, and counts the delta bytes they imply. False on a reserved status or when
    /// the chunks run out.
    /// </summary>
    private static bool TryWalkChunks(ReadOnlySpan<byte> fci, int statusCount, Span<byte> statuses, out int chunkBytes,
        out int deltaBytes, out int received)
    {
        chunkBytes = 0;
        deltaBytes = 0;
        received = 0;
        int covered = 0;
        int offset = FixedFciLength;
        while (covered < statusCount)
        {
            if (fci.Length - offset < 2)
                return false;
            ushort chunk = BinaryPrimitives.ReadUInt16BigEndian(fci[offset..]);
            offset += 2;
            if ((chunk & 0x8000) == 0)
            {
                int status = (chunk >> 13) & 0x3;
                int run = chunk & 0x1FFF;
                if (status == 3)
                    return false;
                int take = Math.Min(run, statusCount - covered);
                if (!statuses.IsEmpty)
                    statuses.Slice(covered, take).Fill((byte)status);
                if (status != 0)
                {
                    received += take;
                    deltaBytes += take * status;
                }
                covered += take;
            }
            else
            {
                bool twoBit = (chunk & 0x4000) != 0;
                int symbols = twoBit ? 7 : 14;
                for (int s = 0; s < symbols && covered < statusCount; s++)
                {
                    int status = twoBit ? (chunk >> (12 - 2 * s)) & 0x3 : (chunk >> (13 - s)) & 0x1;
                    if (status == 3)
                        return false;
                    if (!statuses.IsEmpty)
                        statuses[covered] = (byte)status;
                    if (status != 0)
                    {
                        received++;
                        deltaBytes += status;
                    }
                    covered++;
                }
            }
        }
        chunkBytes = offset - FixedFciLength;
        return true;
    }

    /// <summary>
    /// Builds a feedback for <paramref name="arrivals"/> (sorted by sequence number, wrap-aware, no
    /// duplicates): base = first sequence number, sequence numbers missing between them are
    /// reported lost. Reference time is the first arrival rounded down to 64 ms. Returns false when
    /// the buffer is too small or a gap between arrivals does not fit a 16-bit delta (±8.19 s):
    /// the caller then splits the feedback.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, uint senderSsrc, uint mediaSsrc, byte feedbackPacketCount,
        ReadOnlySpan<TwccArrival> arrivals, out int written)
    {
        written = 0;
        if (arrivals.IsEmpty)
            return false;
        ushort baseSequence = arrivals[0].SequenceNumber;
        int statusCount = (ushort)(arrivals[^1].SequenceNumber - baseSequence) + 1;
        return TryWrite(destination, senderSsrc, mediaSsrc, baseSequence, statusCount, feedbackPacketCount, arrivals, out written);
    }

    /// <summary>
    /// As above with an explicit window: <paramref name="statusCount"/> statuses from
    /// <paramref name="baseSequence"/>, so lost packets before the first and after the last arrival are
    /// reported too. <paramref name="arrivals"/> must lie inside the window, in sequence order, non-empty.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ushort baseSequence, int statusCount,
        byte feedbackPacketCount, ReadOnlySpan<TwccArrival> arrivals, out int written)
    {
        written = 0;
        if (arrivals.IsEmpty || statusCount is < 1 or > ushort.MaxValue || statusCount < arrivals.Length)
            return false;
        long referenceTime = FloorDiv(arrivals[0].ArrivalTimeMicros, ReferenceTickMicros);

        byte[]? rented = null;
        Span<byte> statuses = statusCount <= 1024 ? stackalloc byte[statusCount] : (rented = ArrayPool<byte>.Shared.Rent(statusCount));
        try
        {
            statuses = statuses[..statusCount];
            statuses.Clear();
            long previousTicks = referenceTime * (ReferenceTickMicros / DeltaTickMicros);
            int deltaBytes = 0;
            for (int i = 0; i < arrivals.Length; i++)
            {
                int index = (ushort)(arrivals[i].SequenceNumber - baseSequence);
                if (index >= statusCount || (i > 0 && index <= (ushort)(arrivals[i - 1].SequenceNumber - baseSequence)))
                    return false;
                long ticks = FloorDiv(arrivals[i].ArrivalTimeMicros + DeltaTickMicros / 2, DeltaTickMicros);
                long delta = ticks - previousTicks;
                previousTicks = ticks;
                if (delta is >= 0 and <= 255)
                {
                    statuses[index] = (byte)TwccStatus.ReceivedSmallDelta;
                    deltaBytes += 1;
                }
                else if (delta is >= short.MinValue and <= short.MaxValue)
                {
                    statuses[index] = (byte)TwccStatus.ReceivedLargeDelta;
                    deltaBytes += 2;
                }
                else
                {
                    return false;
                }
            }

            int offset = RtcpFeedbackHeader.Length;
            if (destination.Length < offset + FixedFciLength)
                return false;
            var fci = destination[offset..];
            BinaryPrimitives.WriteUInt16BigEndian(fci, baseSequence);
            BinaryPrimitives.WriteUInt16BigEndian(fci[2..], (ushort)statusCount);
            BinaryPrimitives.WriteUInt32BigEndian(fci[4..], ((uint)referenceTime << 8) | feedbackPacketCount);
            offset += FixedFciLength;

            if (!TryWriteChunks(statuses, destination, ref offset))
                return false;

            if (destination.Length - offset < deltaBytes + 3)
                return false;
            previousTicks = referenceTime * (ReferenceTickMicros / DeltaTickMicros);
            for (int i = 0; i < arrivals.Length; i++)
            {
                long ticks = FloorDiv(arrivals[i].ArrivalTimeMicros + DeltaTickMicros / 2, DeltaTickMicros);
                long delta = ticks - previousTicks;
                previousTicks = ticks;
                int index = (ushort)(arrivals[i].SequenceNumber - baseSequence);
                if (statuses[index] == (byte)TwccStatus.ReceivedSmallDelta)
                {
                    destination[offset++] = (byte)delta;
                }
                else
                {
                    BinaryPrimitives.WriteInt16BigEndian(destination[offset..], (short)delta);
                    offset += 2;
                }
            }

            int padding = (4 - (offset & 3)) & 3;
            if (padding > 0)
            {
                destination.Slice(offset, padding - 1).Clear();
                destination[offset + padding - 1] = (byte)padding;
                offset += padding;
            }
            RtcpFeedbackHeader.Write(destination, Format, RtcpPacketType.TransportFeedback, offset, senderSsrc, mediaSsrc, padding > 0);
            written = offset;
            return true;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Greedy chunk choice: a run of 14 or more equal statuses becomes a run-length chunk; otherwise
    /// 14 statuses without a large delta become a one-bit vector, else 7 a two-bit vector (a shorter
    /// run of 7+ also becomes a run-length chunk).
    /// </summary>
    private static bool TryWriteChunks(ReadOnlySpan<byte> statuses, Span<byte> destination, ref int offset)
    {
        int i = 0;
        while (i < statuses.Length)
        {
            if (destination.Length - offset < 2)
                return false;
            int run = 1;
            while (i + run < statuses.Length && statuses[i + run] == statuses[i] && run < 0x1FFF)
                run++;
            int remaining = statuses.Length - i;
            ushort chunk;
            if (run >= 14 || run == remaining)
            {
                chunk = (ushort)((statuses[i] << 13) | run);
                i += run;
            }
            else if (remaining >= 14 && statuses.Slice(i, 14).IndexOf((byte)TwccStatus.ReceivedLargeDelta) < 0)
            {
                chunk = 0x8000;
                for (int s = 0; s < 14; s++)
                    chunk |= (ushort)(statuses[i + s] << (13 - s));
                i += 14;
            }
            else if (run >= 7)
            {
                chunk = (ushort)((statuses[i] << 13) | run);
                i += run;
            }
            else
            {
                chunk = 0xC000;
                int take = Math.Min(7, remaining);
                for (int s = 0; s < take; s++)
                    chunk |= (ushort)(statuses[i + s] << (12 - 2 * s));
                i += take;
            }
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], chunk);
            offset += 2;
        }
        return true;
    }

    private static long FloorDiv(long value, long divisor) =>
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}
