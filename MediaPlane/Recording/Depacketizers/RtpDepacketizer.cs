using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// Rebuilds whole frames from in-order RTP payloads of one stream. A frame is emitted only when complete: it
/// starts with a packet the codec marks as a frame start (or that follows a packet with the marker bit), every
/// sequence number up to the packet carrying the marker bit (RFC 3550 §5.1) is present, and all packets share
/// one timestamp. A frame missing a packet is never emitted; after such a loss a video stream drops frames until
/// the next keyframe and raises <see cref="NeedsKeyframe"/> so the recorder can ask the sender for one (PLI).
/// Video streams start in that state: nothing is written before the first keyframe.
/// Owned by one thread (the recording's); the frame lives in a reused buffer, nothing is allocated per packet.
/// </summary>
public abstract class RtpDepacketizer : IDisposable
{
    /// <summary>A frame larger than this is refused (a 4K keyframe is well under it).</summary>
    public const int MaxFrameBytes = 8 * 1024 * 1024;

    private readonly bool _isVideo;
    private bool _havePrevious;
    private ushort _expectedSequence;
    private bool _previousEndedFrame;
    private bool _inFrame;
    private uint _frameTimestamp;
    private bool _frameKeyframe;

    protected RtpDepacketizer(bool isVideo)
    {
        _isVideo = isVideo;
        NeedsKeyframe = isVideo;
    }

    /// <summary>The frame being rebuilt, then the complete frame after <see cref="DepacketizeResult.FrameReady"/>.</summary>
    protected GrowableBuffer FrameBuffer { get; } = new(16 * 1024);

    /// <summary>The last complete frame; valid until the next <see cref="Push"/>.</summary>
    public ReadOnlySpan<byte> Frame => FrameBuffer.Written;

    public uint FrameTimestamp => _frameTimestamp;

    public bool FrameIsKeyframe => _frameKeyframe;

    /// <summary>True for video after a loss that was not repaired, until a keyframe arrives (send a PLI).</summary>
    public bool NeedsKeyframe { get; private set; }

    public DepacketizeError LastError { get; private set; }

    /// <summary>Frames dropped because a packet was missing or a keyframe was awaited.</summary>
    public long DroppedFrames { get; private set; }

    /// <summary>
    /// Codecs whose descriptor has a frame-start bit (VP8 S+PID, VP9 B, Opus) say so here; codecs without one
    /// (H.264, AV1) only start a frame after a packet with the marker bit.
    /// </summary>
    protected abstract bool HasExplicitFrameStart { get; }

    /// <summary>Audio codecs carry one frame per packet and use the marker bit for talkspurts instead.</summary>
    protected virtual bool EveryPacketIsFrame => false;

    /// <summary>Reads the payload descriptor without taking data.</summary>
    protected abstract DepacketizeError Inspect(ReadOnlySpan<byte> payload, out PacketFacts facts);

    /// <summary>Appends the packet's codec data to <see cref="FrameBuffer"/>.</summary>
    protected abstract DepacketizeError Append(ReadOnlySpan<byte> payload, in PacketFacts facts);

    /// <summary>Called when the marker bit closes a frame; a codec may refuse it (e.g. an unfinished fragment).</summary>
    protected virtual DepacketizeError Complete(ref bool keyframe) => DepacketizeError.None;

    /// <summary>Called before the first packet of a frame is appended, to reset per-frame codec state.</summary>
    protected virtual void BeginFrame()
    {
    }

    /// <summary>Called when a frame in progress is abandoned, so codec state (open fragments) is reset.</summary>
    protected virtual void Abandon()
    {
    }

    /// <summary>Takes the next packet in sequence order (after the jitter buffer). Never throws on bad input.</summary>
    public DepacketizeResult Push(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp, bool marker)
    {
        bool contiguous = _havePrevious && sequenceNumber == _expectedSequence;
        bool previousEndedFrame = contiguous && _previousEndedFrame;
        _havePrevious = true;
        _expectedSequence = (ushort)(sequenceNumber + 1);
        _previousEndedFrame = marker;
        LastError = DepacketizeError.None;

        if (_inFrame && (!contiguous || timestamp != _frameTimestamp))
            AbandonFrame();
        else if (!_inFrame && !contiguous && _isVideo)
            NeedsKeyframe = true; // a whole frame (or the end of one) may be lost between frames

        var error = Inspect(payload, out var facts);
        if (error != DepacketizeError.None)
        {
            if (_inFrame)
                AbandonFrame();
            _previousEndedFrame = false;
            return Invalid(error);
        }

        if (!_inFrame)
        {
            bool starts = facts.StartsFrame && (HasExplicitFrameStart || previousEndedFrame || facts.CertainStart || !_isVideo);
            if (!starts)
            {
                if (_isVideo)
                    NeedsKeyframe = true; // joined mid-frame, or the frame's first packet is lost
                return DepacketizeResult.Dropped;
            }
            FrameBuffer.Clear();
            BeginFrame();
            _inFrame = true;
            _frameTimestamp = timestamp;
            _frameKeyframe = facts.Keyframe;
        }

        error = Append(payload, facts);
        if (error == DepacketizeError.None && FrameBuffer.Length > MaxFrameBytes)
            error = DepacketizeError.FrameTooLarge;
        if (error != DepacketizeError.None)
        {
            AbandonFrame();
            return Invalid(error);
        }
        if (!marker && !EveryPacketIsFrame)
            return DepacketizeResult.Buffered;

        _inFrame = false;
        bool keyframe = _frameKeyframe;
        error = Complete(ref keyframe);
        if (error != DepacketizeError.None)
        {
            DroppedFrames++;
            if (_isVideo)
                NeedsKeyframe = true;
            return Invalid(error);
        }
        _frameKeyframe = keyframe;
        if (NeedsKeyframe && !keyframe)
        {
            DroppedFrames++;
            return DepacketizeResult.Dropped;
        }
        NeedsKeyframe = false;
        return DepacketizeResult.FrameReady;
    }

    /// <summary>Forgets the stream (the sender restarted it): the next frame must again start at a keyframe.</summary>
    public void Reset()
    {
        _havePrevious = false;
        _inFrame = false;
        FrameBuffer.Clear();
        Abandon();
        NeedsKeyframe = _isVideo;
    }

    private void AbandonFrame()
    {
        _inFrame = false;
        FrameBuffer.Clear();
        Abandon();
        DroppedFrames++;
        if (_isVideo)
            NeedsKeyframe = true;
    }

    private DepacketizeResult Invalid(DepacketizeError error)
    {
        LastError = error;
        if (_isVideo)
            NeedsKeyframe = true; // the unusable packet may have carried part of a frame
        return DepacketizeResult.Invalid;
    }

    public void Dispose()
    {
        FrameBuffer.Dispose();
        GC.SuppressFinalize(this);
    }
}
