using MediaPlane.Rtp;

namespace MediaPlane.Routing;

/// <summary>
/// Learns a publishing session's simulcast SSRCs, which its offer does not signal (RFC 8853 §5.2 leaves
/// a=ssrc out): a packet of an unknown SSRC whose rtp-stream-id extension (RFC 8852 §3.1) names a layer makes
/// that SSRC the layer's; one whose repaired-rtp-stream-id (§3.2) names it becomes the layer's RTX SSRC. The
/// mid extension (RFC 8843 §15) picks the section when the session has several simulcast tracks. At most
/// <see cref="SimulcastLimits.MaxProbedSsrcsPerSession"/> distinct unknown SSRCs are looked into, so a
/// stream of made-up SSRCs costs a lookup, not a parse, per packet. Runs on the session's receive loop, off
/// the hot path (only unknown SSRCs come here); a lock covers the rare packet on a second loop after a move.
/// </summary>
internal sealed class SimulcastSsrcLearner(IRoutedSession session)
{
    private readonly Lock _lock = new();
    private readonly List<SimulcastTrack> _tracks = [];
    private readonly uint[] _probed = new uint[SimulcastLimits.MaxProbedSsrcsPerSession];
    private readonly Dictionary<uint, Producer> _repairedBySsrc = [];
    private int _probedCount;

    public IReadOnlyList<SimulcastTrack> Tracks => _tracks;

    /// <summary>Distinct unknown SSRCs looked into so far (bounded).</summary>
    public int ProbedCount => Volatile.Read(ref _probedCount);

    /// <summary>Under the router's topology lock, while the session opens.</summary>
    internal void Add(SimulcastTrack track) => _tracks.Add(track);

    /// <summary>
    /// For <c>repair</c> (NACK/RTX toward publishers): the layer whose RTX stream an SSRC is, once learned.
    /// </summary>
    public bool TryGetRepairedLayer(uint ssrc, out Producer? layer)
    {
        lock (_lock)
            return _repairedBySsrc.TryGetValue(ssrc, out layer);
    }

    /// <summary>A packet of an SSRC the session does not know: true with the layer's producer when it names one.</summary>
    public bool TryLearn(in RtpPacketReader packet, out Producer? producer)
    {
        producer = null;
        uint ssrc = packet.Ssrc;
        lock (_lock)
        {
            if (_repairedBySsrc.ContainsKey(ssrc) || !Probe(ssrc))
                return false; // RTX (for the repair work to take) or past the bound
            foreach (var track in _tracks)
            {
                if (!SameMid(track, packet))
                    continue;
                if (track.Track.RidExtensionId is { } ridId && packet.TryFindExtension(ridId, out ReadOnlySpan<byte> rid)
                    && Find(track, rid) is { } layer)
                {
                    // A layer's SSRC may change (an encoder restart): the new one replaces it.
                    if (layer.MediaSsrc != 0 && layer.MediaSsrc != ssrc)
                        session.ProducersBySsrc.TryRemove(layer.MediaSsrc, out _);
                    layer.MediaSsrc = ssrc;
                    session.ProducersBySsrc[ssrc] = layer;
                    producer = layer;
                    return true;
                }
                if (track.Track.RepairedRidExtensionId is { } repairedId && packet.TryFindExtension(repairedId, out ReadOnlySpan<byte> repaired)
                    && Find(track, repaired) is { } repairedLayer)
                {
                    _repairedBySsrc[ssrc] = repairedLayer;
                    repairedLayer.LearnedRtxSsrc = ssrc;
                    return false;
                }
            }
            return false;
        }
    }

    private bool Probe(uint ssrc)
    {
        for (int i = 0; i < _probedCount; i++)
        {
            if (_probed[i] == ssrc)
                return true;
        }
        if (_probedCount == _probed.Length)
            return false;
        _probed[_probedCount] = ssrc;
        Volatile.Write(ref _probedCount, _probedCount + 1);
        return true;
    }

    private bool SameMid(SimulcastTrack track, in RtpPacketReader packet)
    {
        if (_tracks.Count == 1 || track.Track.Mid is not { } mid || track.Track.MidExtensionId is not { } midId
            || !packet.TryFindExtension(midId, out ReadOnlySpan<byte> value))
            return true;
        return AsciiEquals(value, mid);
    }

    private static Producer? Find(SimulcastTrack track, ReadOnlySpan<byte> rid)
    {
        for (int i = 0; i < track.Layers.Length; i++)
        {
            if (AsciiEquals(rid, track.Rid(i)))
                return track.Layers[i];
        }
        return null;
    }

    // RFC 8852 §3.1: the RID is its ASCII characters, without a terminator.
    private static bool AsciiEquals(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
            return false;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
                return false;
        }
        return true;
    }
}
