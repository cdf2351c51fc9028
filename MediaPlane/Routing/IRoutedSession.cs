using System.Collections.Concurrent;
using MediaPlane.Contracts;
using MediaPlane.Ice;
using MediaPlane.Transport;

namespace MediaPlane.Routing;

/// <summary>
/// A client session as the router, producers, consumers and the RTCP terminator use it: its request, the
/// producers and consumers it holds, and a way out for packets (ICE, DTLS and SRTP stay behind
/// <see cref="Send"/> and <see cref="QueueRtp"/>). Implemented above Routing (WebRtc's session) and made
/// by the factory the router is given, so Routing does not depend on WebRtc.
/// </summary>
internal interface IRoutedSession : IIceSession, IDisposable
{
    string Id { get; }

    MediaSessionRequest Request { get; }

    bool IsConnected { get; }

    bool IsClosed { get; }

    /// <summary>
    /// Producers of this session's published tracks, by the SSRC the client sends with. Simulcast layers join
    /// when their SSRC is learned, on a receive loop, hence a concurrent dictionary.
    /// </summary>
    ConcurrentDictionary<uint, Producer> ProducersBySsrc { get; }

    /// <summary>Learns the SSRCs of this publisher's simulcast layers from their RIDs; null without simulcast.</summary>
    SimulcastSsrcLearner? SsrcLearner { get; }

    /// <summary>Producers of this session's published tracks, by their RTX SSRC (RFC 4588, a=ssrc-group:FID).</summary>
    Dictionary<uint, Producer> RtxProducersBySsrc { get; }

    /// <summary>Consumers of this session's subscribed tracks, by the SSRC we send with.</summary>
    ConcurrentDictionary<uint, Consumer> ConsumersBySsrc { get; }

    /// <summary>ICE restart: new credentials on both sides (RFC 8445 §2.4); the client's new password signs checks before a move.</summary>
    void ReplaceIceCredentials(IceCredentials local, string remoteUfrag, byte[]? remotePassword);

    /// <summary>True for the one caller that closes the session.</summary>
    bool MarkClosed();

    /// <summary>
    /// Protects a plain RTP or RTCP packet in <paramref name="buffer"/> (room for the trailer) and sends it; an RTP packet
    /// with a transport-wide sequence number slot at <paramref name="transportSequenceOffset"/> is numbered first and
    /// recorded (with its probe cluster) in <see cref="Bandwidth"/>.
    /// </summary>
    bool Send(Span<byte> buffer, int length, bool isRtcp, int transportSequenceOffset = -1, int probeClusterId = 0);

    /// <summary>Numbers (as <see cref="Send"/>), protects the plain RTP packet in <paramref name="batch"/>'s next slot and queues it; the caller flushes.</summary>
    bool QueueRtp(UdpSendBatch batch, int length, int transportSequenceOffset = -1);

    /// <summary>A subscriber's send-side estimate, when it negotiated transport-wide sequence numbers; else null.</summary>
    Congestion.SubscriberBandwidth? Bandwidth { get; }

    /// <summary>A probe cluster of <paramref name="packets"/> follows (under the send lock). False when not connected.</summary>
    bool StartProbeCluster(int clusterId, int packets);

    /// <summary>On the session's receive loop: the subscriber's transport-cc packet (RTPFB FMT 15).</summary>
    bool OnTransportFeedback(ReadOnlySpan<byte> rtcpPacket);

    /// <summary>On the session's receive loop: a receiver report's worst fraction lost over our streams, and the RTT.</summary>
    void OnReceiverReport(byte fractionLost, long? roundTripMicros);
}
