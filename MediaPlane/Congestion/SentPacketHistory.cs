namespace MediaPlane.Congestion;

/// <summary>
/// Send-side bookkeeping for one subscriber's transport-wide sequence numbers: transport seq → send time
/// and size, kept in a ring so the estimator can pair transport-cc feedback with what was sent.
/// <para>
/// Owner: the loop thread that sends to the subscriber (the same one that handles its RTCP). Allocation-free
/// after construction; a sequence number older than the ring is forgotten, and feedback naming it is ignored.
/// </para>
/// </summary>
public sealed class SentPacketHistory
{
    private readonly Slot[] _slots;
    private readonly int _mask;
    private ushort _next;

    public SentPacketHistory(int capacity = 8192)
    {
        if (capacity < 16 || capacity > 32768 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "a power of two between 16 and 32768");
        _slots = new Slot[capacity];
        _mask = capacity - 1;
    }

    /// <summary>The sequence number <see cref="RecordNext"/> will assign next.</summary>
    public ushort NextSequenceNumber => _next;

    /// <summary>
    /// Assigns the next transport-wide sequence number to a packet about to be sent and records it.
    /// <paramref name="probeClusterId"/> (non-zero) marks padding/RTX sent as part of a probe cluster
    /// (<see cref="SendSideBandwidthEstimator.StartProbeCluster"/>).
    /// </summary>
    public ushort RecordNext(long sendMicros, int sizeBytes, int probeClusterId = 0)
    {
        ushort sequence = _next;
        Record(sequence, sendMicros, sizeBytes, probeClusterId);
        return sequence;
    }

    /// <summary>Records a packet whose sequence number the caller assigned (it continues from there).</summary>
    public void Record(ushort sequenceNumber, long sendMicros, int sizeBytes, int probeClusterId = 0)
    {
        ref var slot = ref _slots[sequenceNumber & _mask];
        slot.SendMicros = sendMicros;
        slot.SizeBytes = sizeBytes;
        slot.SequenceNumber = sequenceNumber;
        slot.ProbeClusterId = probeClusterId;
        slot.State = PacketState.Sent;
        _next = (ushort)(sequenceNumber + 1);
    }

    public bool TryGet(ushort sequenceNumber, out long sendMicros, out int sizeBytes)
    {
        ref var slot = ref _slots[sequenceNumber & _mask];
        bool known = slot.State != PacketState.Unknown && slot.SequenceNumber == sequenceNumber;
        sendMicros = known ? slot.SendMicros : 0;
        sizeBytes = known ? slot.SizeBytes : 0;
        return known;
    }

    /// <summary>The slot of a known sequence number (for the estimator's acked/lost marks), or a null ref.</summary>
    internal ref Slot Find(ushort sequenceNumber)
    {
        ref var slot = ref _slots[sequenceNumber & _mask];
        if (slot.State == PacketState.Unknown || slot.SequenceNumber != sequenceNumber)
            return ref System.Runtime.CompilerServices.Unsafe.NullRef<Slot>();
        return ref slot;
    }

    internal enum PacketState : byte
    {
        Unknown = 0,
        Sent,
        ReportedLost,
        Acknowledged,
    }

    internal struct Slot
    {
        public long SendMicros;
        public int SizeBytes;
        public int ProbeClusterId;
        public ushort SequenceNumber;
        public PacketState State;
    }
}
