namespace MediaPlane.Routing;

/// <summary>
/// One consumer's view of a producer's sequence numbers and timestamps. A consumer that joins mid-stream
/// skips packets until a keyframe; its output must still be gap-free, or the subscriber would NACK
/// packets it was never meant to get. So output = input + offset, with the offset chosen when the
/// consumer starts (and again if it restarts), and NACKed output numbers map back to input numbers.
/// </summary>
public struct SequenceRewriter
{
    private ushort _sequenceOffset;
    private uint _timestampOffset;
    private ushort _lastOutput;
    private uint _lastOutputTimestamp;
    private bool _started;
    private bool _sentAny;

    public readonly bool Started => _started;

    /// <summary>
    /// Begins (or resumes after a gap) at <paramref name="firstInputSequence"/>: its output number follows
    /// the last one sent, and its timestamp the last one sent plus <paramref name="timestampGap"/>.
    /// </summary>
    public void Start(ushort firstInputSequence, uint firstInputTimestamp, uint timestampGap)
    {
        ushort nextOutput = _sentAny ? (ushort)(_lastOutput + 1) : firstInputSequence;
        uint nextTimestamp = _sentAny ? _lastOutputTimestamp + timestampGap : firstInputTimestamp;
        _sequenceOffset = (ushort)(nextOutput - firstInputSequence);
        _timestampOffset = nextTimestamp - firstInputTimestamp;
        _started = true;
    }

    /// <summary>Maps an input packet to output numbers and remembers the newest output sent.</summary>
    public void Rewrite(ushort inputSequence, uint inputTimestamp, out ushort outputSequence, out uint outputTimestamp)
    {
        outputSequence = (ushort)(inputSequence + _sequenceOffset);
        outputTimestamp = inputTimestamp + _timestampOffset;
        if (!_sentAny || SequenceUnwrapper.IsNewer(outputSequence, _lastOutput))
        {
            _sentAny = true;
            _lastOutput = outputSequence;
            _lastOutputTimestamp = outputTimestamp;
        }
    }

    /// <summary>The input sequence number a subscriber's NACK for <paramref name="outputSequence"/> refers to.</summary>
    public readonly ushort ToInput(ushort outputSequence) => (ushort)(outputSequence - _sequenceOffset);

    /// <summary>The output timestamp of an input one (for retransmissions).</summary>
    public readonly uint ToOutputTimestamp(uint inputTimestamp) => inputTimestamp + _timestampOffset;
}
