using System.Diagnostics.Metrics;
using MediaPlane.Contracts;
using MediaPlane.WebRtc;
using Microsoft.Extensions.Hosting;

namespace Grains.Media;

/// <summary>
/// The media plane's counters as observable instruments (meter <see cref="MeterName"/>): each is a callback that
/// reads the node's summed counters (<see cref="IMediaNode.Counters"/>, relay counters, session snapshots) when a
/// scrape collects, so nothing is added to the packet path. Names map to Prometheus as README "Metrics" lists.
/// </summary>
public sealed class MediaNodeMetrics : IHostedService
{
    public const string MeterName = "Rtc.Media";

    private readonly IMediaNode _node;
    private readonly MediaTrafficTotals _totals;
    private readonly object _lock = new();
    private long _totalsReadAt = -1; // none yet
    private MediaTrafficTotals.Totals _lastTotals;

    public MediaNodeMetrics(IMeterFactory meters, MediaNodeService service)
    {
        _node = service.Node;
        _totals = service.Traffic;
        var meter = meters.Create(MeterName);
        var counters = _node.Counters;

        meter.CreateObservableCounter<long>("rtc.media.datagrams.received", () => _node.DatagramsReceived, "{datagram}",
            "UDP datagrams read from the media port (STUN, DTLS, RTP, RTCP).");
        meter.CreateObservableCounter<long>("rtc.media.received.packets", () => Totals().PacketsReceived, "{packet}",
            "RTP packets received from publishers.");
        meter.CreateObservableCounter<long>("rtc.media.received", () => Totals().BytesReceived, "By",
            "RTP payload bytes received from publishers.");
        meter.CreateObservableCounter<long>("rtc.media.lost.packets", () => Totals().PacketsLost, "{packet}",
            "RTP packets lost on the way from publishers (RFC 3550 §A.3 estimate).");
        meter.CreateObservableCounter<long>("rtc.media.sent.packets", () => Totals().PacketsSent, "{packet}",
            "RTP packets sent to subscribers.");
        meter.CreateObservableCounter<long>("rtc.media.sent", () => Totals().BytesSent, "By",
            "RTP payload bytes sent to subscribers.");
        meter.CreateObservableCounter<long>("rtc.media.forwarded.packets", () => counters.RtpReceived, "{packet}",
            "Authenticated RTP packets routed to their producer (before fan-out to subscribers).");
        meter.CreateObservableCounter<long>("rtc.media.retransmitted.packets", () => counters.NacksAnswered, "{packet}",
            "Packets retransmitted in answer to subscribers' NACKs.");
        meter.CreateObservableCounter<long>("rtc.media.keyframe.requests", () => counters.KeyframeRequests, "{request}",
            "PLIs sent to publishers (subscribers' PLI/FIR and new subscribers).");
        meter.CreateObservableCounter<long>("rtc.media.transport_feedback.sent", () => counters.TransportFeedbackSent, "{packet}",
            "transport-cc feedback packets sent to publishers.");
        meter.CreateObservableCounter<long>("rtc.media.srtp.failures", () => counters.SrtpRejected, "{packet}",
            "SRTP/SRTCP packets failing authentication or replay checks, or arriving before DTLS finished.");
        meter.CreateObservableCounter<long>("rtc.media.dropped.packets", DroppedByReason, "{packet}",
            "Datagrams dropped by the media plane, by reason.");
        meter.CreateObservableUpDownCounter<long>("rtc.media.sessions", SessionsByState, "{session}",
            "Sessions open on this node, by state (connecting: ICE/DTLS not finished).");
        meter.CreateObservableCounter<long>("rtc.relay.packets", RelayPackets, "{packet}",
            "Relay port packets between silos, by kind and direction.");
        meter.CreateObservableCounter<long>("rtc.relay.dropped.packets", RelayDropped, "{packet}",
            "Relay port datagrams dropped, by reason.");
    }

    // A hosted service only so that the instruments exist from start-up (the constructor makes them).
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One snapshot of every session per scrape (the instruments above are read one after the other).</summary>
    private MediaTrafficTotals.Totals Totals()
    {
        lock (_lock)
        {
            long now = Environment.TickCount64;
            if (_totalsReadAt < 0 || now - _totalsReadAt > 500)
            {
                _lastTotals = _totals.Read(_node.SnapshotSessions());
                _totalsReadAt = now;
            }
            return _lastTotals;
        }
    }

    private IEnumerable<Measurement<long>> DroppedByReason()
    {
        var c = _node.Counters;
        return
        [
            Reason(c.UnknownSource, "unknown_source"),
            Reason(c.Unclassified, "unclassified"),
            Reason(c.RtpMalformed, "rtp_malformed"),
            Reason(c.RtpUnknownSsrc, "rtp_unknown_ssrc"),
            Reason(c.RtcpMalformed, "rtcp_malformed"),
            Reason(c.SrtpRejected, "srtp_rejected"),
            Reason(c.RtpWhileOwnerMoves, "owner_moving"),
        ];
    }

    private IEnumerable<Measurement<long>> SessionsByState()
    {
        int all = _node.SessionCount, connecting = _node.UnconnectedSessionCount;
        return
        [
            new(connecting, new KeyValuePair<string, object?>("state", "connecting")),
            new(Math.Max(0, all - connecting), new KeyValuePair<string, object?>("state", "connected")),
        ];
    }

    private IEnumerable<Measurement<long>> RelayPackets()
    {
        if (_node.RelayCounters is not { } r)
            return [];
        return
        [
            Kind(r.RtpReceived, "rtp", "in"),
            Kind(r.RtpSent, "rtp", "out"),
            Kind(r.FeedbackReceived, "feedback", "in"),
            Kind(r.FeedbackSent, "feedback", "out"),
            Kind(r.KeepalivesReceived, "keepalive", "in"),
        ];
    }

    private IEnumerable<Measurement<long>> RelayDropped()
    {
        if (_node.RelayCounters is not { } r)
            return [];
        return
        [
            Reason(r.Malformed, "malformed"),
            Reason(r.AuthenticationFailed, "authentication_failed"),
            Reason(r.UnknownDestination, "unknown_destination"),
            Reason(r.HopLimitExceeded, "hop_limit_exceeded"),
            Reason(r.UnknownStream, "unknown_stream"),
        ];
    }

    private static Measurement<long> Reason(long value, string reason) => new(value, new KeyValuePair<string, object?>("reason", reason));

    private static Measurement<long> Kind(long value, string kind, string direction) =>
        new(value, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("direction", direction));
}
