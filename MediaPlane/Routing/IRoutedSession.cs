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

    /// <summary>Protects a plain RTP or RTCP packet in <paramref name="buffer"/> (room for the trailer) and sends it.</summary>
    bool Send(Span<byte> buffer, int length, bool isRtcp);

    /// <summary>Protects the plain RTP packet in <paramref name="batch"/>'s next slot and queues it; the caller flushes.</summary>
    bool QueueRtp(UdpSendBatch batch, int length);
}
