using MediaPlane.Contracts;
using MediaPlane.Routing.Repair;
using MediaPlane.Routing.Speakers;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.Routing;

/// <summary>
/// One published track on this silo (mediasoup's Producer): keeps its recent packets for NACKs and fans
/// each packet out to its consumers. It belongs to one receive loop, its <see cref="Owner"/> (the one its
/// packets arrive on): only that loop touches its buffer, statistics, consumers' rewriters and relay
/// sinks; other threads post work to it (see <see cref="LoopWorkQueue"/>). Consumers are added and
/// removed from control threads through a copy-on-write array, so the fan-out loop takes no lock.
/// A producer either has a local <see cref="Publisher"/> or is relayed: its packets come from another
/// node's relay port (<see cref="Source"/>), and consumers attach to it exactly as to a local one. Either
/// kind also feeds its relay sinks, one per node that imports the stream.
/// </summary>
internal sealed class Producer
{
    private static readonly long KeyframeRequestInterval = 500; // ms: browsers answer every PLI with a keyframe
    private readonly Lock _consumersLock = new();
    private Consumer[] _consumers = [];
    private IPacketSink[] _relaySinks = [];
    private IRecordingTap[] _recordingTaps = [];
    private long _lastKeyframeRequestTicks = long.MinValue / 2;

    private UdpReceiveSocket? _owner;
    private UdpReceiveSocket? _nextOwner;
    private int _handOverPosted;
    private readonly Producer? _ownerShare;
    private uint _mediaSsrc;

    /// <param name="ownerShare">Another producer whose owner loop this one shares (a simulcast track's first layer).</param>
    internal Producer(PublishedTrack track, IRoutedSession? publisher, IProducerSource? source = null, Producer? ownerShare = null)
    {
        Track = track;
        Publisher = publisher;
        Source = source;
        ExtensionIds = HeaderExtensionIds.From(track.Extensions);
        _ownerShare = ownerShare;
        _mediaSsrc = track.Ssrc;
    }

    /// <summary>The simulcast track this producer is layer <see cref="LayerIndex"/> of; null for a plain track.</summary>
    internal SimulcastTrack? Simulcast { get; init; }

    internal int LayerIndex { get; init; }

    /// <summary>The SSRC the publisher sends this stream with: the track's, or a simulcast layer's once learned (0 before).</summary>
    internal uint MediaSsrc
    {
        get => Volatile.Read(ref _mediaSsrc);
        set => Volatile.Write(ref _mediaSsrc, value);
    }

    /// <summary>A simulcast layer's RTX SSRC, learned from repaired-rtp-stream-id (RFC 8852 §3.2); 0 until then.</summary>
    internal uint LearnedRtxSsrc { get; set; }

    public PublishedTrack Track { get; }

    /// <summary>The publisher's header extension ids, to find what is forwarded in its packets.</summary>
    public HeaderExtensionIds ExtensionIds { get; }

    /// <summary>The session publishing the track on this node; null for a relayed producer.</summary>
    public IRoutedSession? Publisher { get; }

    /// <summary>Where a relayed producer's packets come from; null for a local publisher's.</summary>
    public IProducerSource? Source { get; }

    public IReadOnlyList<IPacketSink> RelaySinks => Volatile.Read(ref _relaySinks);

    /// <summary>Recordings of this track (see <see cref="IRecordingTap"/>).</summary>
    public IReadOnlyList<IRecordingTap> RecordingTaps => Volatile.Read(ref _recordingTaps);

    /// <summary>
    /// Recent packets for NACKs: allocated by the first packet, not when the session opens (a video
    /// buffer pins 768 KB; a session announcing many tracks should not pin them all before any media).
    /// </summary>
    internal RetransmissionBuffer? Buffer { get; private set; }

    internal ReceiveStatistics Statistics;

    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    public long PacketsReceived => Statistics.Packets;

    /// <summary>RTP bytes received (headers included), read by the control plane's periodic stats (a torn read costs one stale sample).</summary>
    public long OctetsReceived => Statistics.Octets;

    /// <summary>Cumulative packets lost (RFC 3550 §A.3), from sequence-number gaps.</summary>
    public long PacketsLost => Statistics.CumulativeLost;

    /// <summary>NACKs toward the publisher and its RTX let in (local video tracks); null otherwise.</summary>
    internal PublisherRepair? Repair { get; init; }

    /// <summary>The smoothed RFC 6464 level of a local audio track that negotiated it; null otherwise.</summary>
    internal AudioLevelMeter? AudioLevel { get; init; }

    /// <summary>Set by the router: sends a PLI for this track to its publisher.</summary>
    internal Action<Producer>? SendKeyframeRequest { get; set; }

    /// <summary>The receive loop that owns this producer: null until its first packet arrives.</summary>
    internal UdpReceiveSocket? Owner => _ownerShare is { } share ? share.Owner : Volatile.Read(ref _owner);

    /// <summary>
    /// On a receive loop with a packet for this producer: true when <paramref name="loop"/> owns it (the
    /// first loop to ask becomes the owner). A packet on another loop means the publisher's address moved:
    /// the owner is asked (once) to hand the producer over, and until it has, such packets are dropped.
    /// No loop (a datagram handed in directly by a test or benchmark, never by a port) claims nothing.
    /// </summary>
    internal bool TryOwn(UdpReceiveSocket? loop, ILoopWorkHandler router, int handOverOperation)
    {
        if (loop is null)
            return true;
        if (_ownerShare is { } share)
            return share.TryOwn(loop, router, handOverOperation);
        var owner = Volatile.Read(ref _owner);
        if (owner == loop)
            return true;
        if (owner is null)
        {
            owner = Interlocked.CompareExchange(ref _owner, loop, null);
            if (owner is null || owner == loop)
                return true;
        }
        if (Interlocked.Exchange(ref _handOverPosted, 1) == 0)
        {
            Volatile.Write(ref _nextOwner, loop);
            if (!owner.Post(new LoopWork(router, this, handOverOperation)))
                Volatile.Write(ref _handOverPosted, 0);
        }
        return false;
    }

    /// <summary>On the owner's loop: the producer moves to the loop that asked in <see cref="TryOwn"/>.</summary>
    internal void HandOver()
    {
        Volatile.Write(ref _owner, Volatile.Read(ref _nextOwner));
        Volatile.Write(ref _handOverPosted, 0);
    }

    /// <summary>On the owner's loop, for every packet (<paramref name="isRetransmission"/>: unwrapped from the publisher's RTX).</summary>
    internal void OnRtp(ReadOnlySpan<byte> packet, in RtpPacketReader header, long nowTicks, bool isRetransmission = false)
    {
        if (Repair is { } repair && !repair.OnPacket(this, header.SequenceNumber, nowTicks, isRetransmission))
            return;
        AudioLevel?.OnPacket(header, nowTicks);
        Statistics.OnPacket(header.SequenceNumber, header.Timestamp, Track.ClockRate, nowTicks, packet.Length);
        (Buffer ??= new RetransmissionBuffer(Track.Kind == MediaKind.Video ? 512 : 64)).Store(header.SequenceNumber, packet);
        Simulcast?.OnLayerPacket(LayerIndex, packet.Length, nowTicks);
        var consumers = Volatile.Read(ref _consumers);
        if (consumers.Length > 0)
            FanOut.ForCurrentThread.Send(packet, header, LayerIndex, consumers);
        foreach (var sink in Volatile.Read(ref _relaySinks))
            sink.Forward(packet);
        foreach (var tap in Volatile.Read(ref _recordingTaps))
            tap.Forward(packet);
    }

    internal void AddConsumer(Consumer consumer)
    {
        lock (_consumersLock)
            Volatile.Write(ref _consumers, [.. _consumers, consumer]);
    }

    internal void RemoveConsumer(Consumer consumer)
    {
        lock (_consumersLock)
            Volatile.Write(ref _consumers, _consumers.Where(c => c != consumer).ToArray());
    }

    internal void AddRelaySink(IPacketSink sink)
    {
        lock (_consumersLock)
            Volatile.Write(ref _relaySinks, [.. _relaySinks, sink]);
    }

    internal void RemoveRelaySink(IPacketSink sink)
    {
        lock (_consumersLock)
            Volatile.Write(ref _relaySinks, _relaySinks.Where(s => s != sink).ToArray());
    }

    internal void AddRecordingTap(IRecordingTap tap)
    {
        lock (_consumersLock)
            Volatile.Write(ref _recordingTaps, [.. _recordingTaps, tap]);
    }

    internal void RemoveRecordingTap(IRecordingTap tap)
    {
        lock (_consumersLock)
            Volatile.Write(ref _recordingTaps, _recordingTaps.Where(t => t != tap).ToArray());
    }

    /// <summary>
    /// Asks the publisher for a keyframe, at most once per interval (subscribers' PLIs are merged). On the
    /// owner's loop, or on any thread before the producer has one; the interval is kept atomically for that.
    /// </summary>
    internal bool RequestKeyframe(long nowTicks)
    {
        if (MediaSsrc == 0)
            return false; // a simulcast layer not heard from yet: nothing to name, and the interval stays free for its first ask
        long last = Interlocked.Read(ref _lastKeyframeRequestTicks);
        if (nowTicks - last < KeyframeRequestInterval || Interlocked.CompareExchange(ref _lastKeyframeRequestTicks, nowTicks, last) != last)
            return false;
        SendKeyframeRequest?.Invoke(this);
        return true;
    }
}
