using System.Collections.Concurrent;
using MediaPlane.Dtls;
using MediaPlane.Ice;
using MediaPlane.Routing.Repair;
using MediaPlane.Routing.Speakers;
using MediaPlane.WebRtc;

namespace MediaPlane.Routing;

/// <summary>
/// The topology of a media node (mediasoup's Router): sessions by id (and, in <see cref="Table"/>, by ICE
/// ufrag and address), producers by stream, their consumers. Changed on control threads under
/// <see cref="TopologyLock"/>; the receive loops read it without a lock (concurrent dictionaries,
/// copy-on-write consumer arrays). No packet comes here. Also expires sessions whose consent lapsed.
/// </summary>
internal sealed class Router : IWebRtcSessionHost, IDisposable
{
    private readonly WebRtcServerOptions _options;
    private readonly IMediaSessionObserver _observer;
    private readonly DtlsCertificate _certificate;
    private readonly ConcurrentDictionary<string, WebRtcSession> _sessionsById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Producer> _producersByStream = new(StringComparer.Ordinal);
    private readonly Timer _sweeper;

    private readonly MediaPlaneCounters? _counters;

    public Router(WebRtcServerOptions options, IMediaSessionObserver observer, DtlsCertificate certificate, MediaPlaneCounters? counters = null)
    {
        _options = options;
        _counters = counters;
        _observer = observer;
        _certificate = certificate;
        _sweeper = new Timer(_ => SweepExpired(), null, options.SweepInterval, options.SweepInterval);
    }

    public Lock TopologyLock { get; } = new();

    public SessionTable<WebRtcSession> Table { get; } = new();

    /// <summary>Set by the RTCP terminator: a session's DTLS came up (its consumers need keyframes).</summary>
    public Action<WebRtcSession>? SessionConnected { get; set; }

    /// <summary>Set by the RTCP terminator: how a local producer asks its publisher for a keyframe (a PLI).</summary>
    public Action<Producer>? SendPictureLoss { get; set; }

    /// <summary>Set by the relay manager, called under the topology lock: a producer leaves (its exports end).</summary>
    public Action<Producer>? ProducerRemoved { get; set; }

    public int SessionCount => _sessionsById.Count;

    /// <summary>A copy, for periodic rounds (reports, snapshots).</summary>
    public ICollection<WebRtcSession> Sessions => _sessionsById.Values;

    public bool TryGetSession(string sessionId, out WebRtcSession? session) => _sessionsById.TryGetValue(sessionId, out session);

    public bool TryGetProducer(string streamId, out Producer? producer) => _producersByStream.TryGetValue(streamId, out producer);

    /// <summary>Under the topology lock: a relayed producer joins (see the relay manager).</summary>
    public void AddProducer(Producer producer) => _producersByStream[producer.Track.StreamId] = producer;

    /// <summary>
    /// Opens a session: its published tracks become producers, its subscribed tracks consumers of
    /// producers already on this node. Throws <see cref="MediaSessionException"/> when it cannot.
    /// </summary>
    public WebRtcSession Open(MediaSessionRequest request)
    {
        if (_sessionsById.Count >= _options.MaxSessions)
            throw new MediaSessionException($"This media node is full ({_options.MaxSessions} sessions).");
        var session = new WebRtcSession(request, _certificate, _options.Dtls, this);
        lock (TopologyLock)
        {
            Validate(request);
            if (!_sessionsById.TryAdd(request.SessionId, session))
                throw new MediaSessionException($"Session '{request.SessionId}' already exists.");
            foreach (var track in request.Publish)
            {
                var producer = new Producer(track, session)
                {
                    SendKeyframeRequest = SendPictureLoss,
                    Repair = track.Kind == MediaKind.Video ? new PublisherRepair(_counters) : null,
                    AudioLevel = track.Kind == MediaKind.Audio && request.AudioLevelExtensionId is { } level ? new AudioLevelMeter(level) : null,
                };
                _producersByStream[track.StreamId] = producer;
                session.ProducersBySsrc[track.Ssrc] = producer;
                if (track.RtxSsrc is { } rtxSsrc && track.RtxPayloadType is not null)
                    session.RtxProducersBySsrc[rtxSsrc] = producer;
            }
            foreach (var track in request.Subscribe)
            {
                var consumer = new Consumer(_producersByStream[track.StreamId], session, track);
                session.ConsumersBySsrc[track.OutputSsrc] = consumer;
                consumer.Producer.AddConsumer(consumer);
            }
            if (!Table.TryAdd(session))
            {
                RemoveTopology(session);
                throw new MediaSessionException("ICE ufrag collision; try again.");
            }
        }
        return session;
    }

    /// <summary>
    /// ICE restart (RFC 8445 §2.4, RFC 9725 §4.3.2): the session gets new local credentials and the
    /// client's new ufrag; its DTLS association, SRTP keys, producers and consumers stay. Null when no
    /// such session is open. The client's next verified check may come from a new address.
    /// </summary>
    public WebRtcSession? RestartIce(string sessionId, string remoteUfrag)
    {
        if (!_sessionsById.TryGetValue(sessionId, out var session))
            return null;
        lock (TopologyLock)
        {
            // Checked under the lock Close takes, so a closing session is never filed again.
            if (session.IsClosed)
                return null;
            var previous = session.LocalCredentials;
            string previousRemote = session.RemoteUfrag;
            session.ReplaceIceCredentials(IceCredentials.Generate(), remoteUfrag);
            if (!Table.TryRekey(session, previous.Ufrag))
            {
                session.ReplaceIceCredentials(previous, previousRemote);
                throw new MediaSessionException("ICE ufrag collision; try again.");
            }
        }
        return session;
    }

    private void Validate(MediaSessionRequest request)
    {
        if (_sessionsById.ContainsKey(request.SessionId))
            throw new MediaSessionException($"Session '{request.SessionId}' already exists.");
        if (request.Publish.Select(t => t.StreamId).Distinct().Count() != request.Publish.Count
            || request.Publish.Select(t => t.Ssrc).Distinct().Count() != request.Publish.Count)
            throw new MediaSessionException("Published tracks must have distinct stream ids and SSRCs.");
        var rtxSsrcs = request.Publish.Where(t => t.RtxSsrc is not null).Select(t => t.RtxSsrc!.Value).ToList();
        if (rtxSsrcs.Distinct().Count() != rtxSsrcs.Count || rtxSsrcs.Any(rtx => request.Publish.Any(t => t.Ssrc == rtx)))
            throw new MediaSessionException("Published tracks' RTX SSRCs must be distinct from each other and from the media SSRCs.");
        if (request.Subscribe.Select(t => t.OutputSsrc).Distinct().Count() != request.Subscribe.Count)
            throw new MediaSessionException("Subscribed tracks must have distinct SSRCs.");
        foreach (var track in request.Publish)
        {
            if (_producersByStream.ContainsKey(track.StreamId))
                throw new MediaSessionException($"Stream '{track.StreamId}' is already published on this node.");
        }
        foreach (var track in request.Subscribe)
        {
            if (!_producersByStream.ContainsKey(track.StreamId))
                throw new MediaSessionException($"Stream '{track.StreamId}' is not published on this node.");
        }
    }

    /// <summary>Closes a session and frees everything it held. False if it was not open.</summary>
    public bool Close(string sessionId, SessionCloseReason reason, string? detail) =>
        _sessionsById.TryGetValue(sessionId, out var session) && Close(session, reason, detail);

    private bool Close(WebRtcSession session, SessionCloseReason reason, string? detail)
    {
        if (!session.MarkClosed())
            return false;
        lock (TopologyLock)
        {
            _sessionsById.TryRemove(new KeyValuePair<string, WebRtcSession>(session.Id, session));
            Table.Remove(session);
            RemoveTopology(session);
        }
        session.Dispose();
        try
        {
            _observer.OnClosed(session.Id, reason, detail);
        }
        catch (Exception)
        {
            // The observer is the control plane's; its failure must not leak the session.
        }
        return true;
    }

    private void RemoveTopology(WebRtcSession session)
    {
        foreach (var consumer in session.ConsumersBySsrc.Values)
            consumer.Producer.RemoveConsumer(consumer);
        foreach (var producer in session.ProducersBySsrc.Values)
            RemoveProducer(producer);
    }

    /// <summary>Under the topology lock: a producer leaves (its publisher closed, or its import ended).</summary>
    public void RemoveProducer(Producer producer)
    {
        _producersByStream.TryRemove(new KeyValuePair<string, Producer>(producer.Track.StreamId, producer));
        foreach (var consumer in producer.Consumers)
        {
            consumer.Subscriber.ConsumersBySsrc.TryRemove(consumer.Track.OutputSsrc, out _);
            producer.RemoveConsumer(consumer);
        }
        ProducerRemoved?.Invoke(producer);
    }

    void IWebRtcSessionHost.OnSessionConnected(WebRtcSession session)
    {
        SessionConnected?.Invoke(session);
        try
        {
            _observer.OnConnected(session.Id);
        }
        catch (Exception)
        {
            // See Close.
        }
    }

    void IWebRtcSessionHost.OnSessionFailed(WebRtcSession session, SessionCloseReason reason, string? detail) =>
        Close(session, reason, detail);

    private void SweepExpired()
    {
        foreach (var session in Table.CollectExpired(Environment.TickCount64, _options.ConsentTimeout))
            Close(session, SessionCloseReason.ConsentExpired, $"no verified STUN for {_options.ConsentTimeout.TotalSeconds:0} s");
    }

    /// <summary>Stops the sweep and closes every session.</summary>
    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var session in _sessionsById.Values)
            Close(session, SessionCloseReason.Shutdown, null);
    }
}
