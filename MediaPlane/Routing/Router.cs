using System.Collections.Concurrent;
using MediaPlane.Contracts;
using MediaPlane.Ice;
using MediaPlane.Routing.Repair;
using MediaPlane.Routing.Speakers;

namespace MediaPlane.Routing;

/// <summary>
/// The topology of a media node (mediasoup's Router): sessions by id (and, in <see cref="Table"/>, by ICE
/// ufrag and address), producers by stream, their consumers. Changed on control threads under
/// <see cref="TopologyLock"/>; the receive loops read it without a lock (concurrent dictionaries,
/// copy-on-write consumer arrays). No packet comes here. Also expires sessions whose consent lapsed.
/// Sessions are made by the factory it is given (the WebRtc server's), and seen as <see cref="IRoutedSession"/>.
/// </summary>
internal sealed class Router : IRoutedSessionHost, IDisposable
{
    private readonly int _maxSessions;
    private readonly TimeSpan _consentTimeout;
    private readonly IMediaSessionObserver _observer;
    private readonly Func<MediaSessionRequest, IRoutedSessionHost, IRoutedSession> _createSession;
    private readonly ConcurrentDictionary<string, IRoutedSession> _sessionsById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Producer> _producersByStream = new(StringComparer.Ordinal);
    private readonly Timer _sweeper;
    private readonly MediaPlaneCounters? _counters;

    /// <param name="maxSessions">Most sessions on this node; more are refused.</param>
    /// <param name="consentTimeout">A session without a verified STUN check for this long is closed (RFC 7675).</param>
    /// <param name="sweepInterval">How often expired sessions are looked for.</param>
    /// <param name="createSession">Makes the session for a request; it reports to the host it is given.</param>
    public Router(int maxSessions, TimeSpan consentTimeout, TimeSpan sweepInterval, IMediaSessionObserver observer,
        Func<MediaSessionRequest, IRoutedSessionHost, IRoutedSession> createSession, MediaPlaneCounters? counters = null)
    {
        _maxSessions = maxSessions;
        _consentTimeout = consentTimeout;
        _counters = counters;
        _observer = observer;
        _createSession = createSession;
        _sweeper = new Timer(_ => SweepExpired(), null, sweepInterval, sweepInterval);
    }

    public Lock TopologyLock { get; } = new();

    public SessionTable<IRoutedSession> Table { get; } = new();

    /// <summary>Set by the RTCP terminator: a session's DTLS came up (its consumers need keyframes).</summary>
    public Action<IRoutedSession>? SessionConnected { get; set; }

    /// <summary>Set by the RTCP terminator: how a local producer asks its publisher for a keyframe (a PLI).</summary>
    public Action<Producer>? SendPictureLoss { get; set; }

    /// <summary>Set by the relay manager, called under the topology lock: a producer leaves (its exports end).</summary>
    public Action<Producer>? ProducerRemoved { get; set; }

    public int SessionCount => _sessionsById.Count;

    /// <summary>A copy, for periodic rounds (reports, snapshots).</summary>
    public ICollection<IRoutedSession> Sessions => _sessionsById.Values;

    public bool TryGetSession(string sessionId, out IRoutedSession? session) => _sessionsById.TryGetValue(sessionId, out session);

    public bool TryGetProducer(string streamId, out Producer? producer) => _producersByStream.TryGetValue(streamId, out producer);

    /// <summary>Under the topology lock: a relayed producer joins (see the relay manager).</summary>
    public void AddProducer(Producer producer) => _producersByStream[producer.Track.StreamId] = producer;

    /// <summary>
    /// Opens a session: its published tracks become producers, its subscribed tracks consumers of
    /// producers already on this node. Throws <see cref="MediaSessionException"/> when it cannot.
    /// </summary>
    public IRoutedSession Open(MediaSessionRequest request)
    {
        if (_sessionsById.Count >= _maxSessions)
            throw new MediaSessionException($"This media node is full ({_maxSessions} sessions).");
        var session = _createSession(request, this);
        lock (TopologyLock)
        {
            Validate(request);
            if (!_sessionsById.TryAdd(request.SessionId, session))
                throw new MediaSessionException($"Session '{request.SessionId}' already exists.");
            foreach (var track in request.Publish)
            {
                if (track.IsSimulcast)
                {
                    // One producer per layer; the track's first layer stands for it here. SSRCs come with the packets.
                    var simulcast = new SimulcastTrack(track, session, SendPictureLoss);
                    _producersByStream[track.StreamId] = simulcast.Layers[0];
                    session.SsrcLearner!.Add(simulcast);
                    continue;
                }
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
                foreach (var layer in consumer.Simulcast?.Layers ?? [consumer.Producer])
                    layer.AddConsumer(consumer);
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
    public IRoutedSession? RestartIce(string sessionId, string remoteUfrag, string? remotePassword = null)
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
            var previousPassword = session.RemotePasswordBytes;
            session.ReplaceIceCredentials(IceCredentials.Generate(), remoteUfrag,
                remotePassword is null ? null : System.Text.Encoding.ASCII.GetBytes(remotePassword));
            if (!Table.TryRekey(session, previous.Ufrag))
            {
                session.ReplaceIceCredentials(previous, previousRemote, previousPassword);
                throw new MediaSessionException("ICE ufrag collision; try again.");
            }
        }
        return session;
    }

    private void Validate(MediaSessionRequest request)
    {
        if (_sessionsById.ContainsKey(request.SessionId))
            throw new MediaSessionException($"Session '{request.SessionId}' already exists.");
        var signalled = request.Publish.Where(t => !t.IsSimulcast).ToList();
        if (request.Publish.Select(t => t.StreamId).Distinct().Count() != request.Publish.Count
            || signalled.Select(t => t.Ssrc).Distinct().Count() != signalled.Count)
            throw new MediaSessionException("Published tracks must have distinct stream ids and SSRCs.");
        if (request.Publish.Any(t => t.IsSimulcast && (t.RidExtensionId is null || t.SimulcastRids.Count > SimulcastLimits.MaxLayers)))
            throw new MediaSessionException($"A simulcast track needs the rtp-stream-id extension and at most {SimulcastLimits.MaxLayers} layers.");
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

    private bool Close(IRoutedSession session, SessionCloseReason reason, string? detail)
    {
        if (!session.MarkClosed())
            return false;
        lock (TopologyLock)
        {
            _sessionsById.TryRemove(new KeyValuePair<string, IRoutedSession>(session.Id, session));
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

    private void RemoveTopology(IRoutedSession session)
    {
        foreach (var consumer in session.ConsumersBySsrc.Values)
            consumer.Detach();
        foreach (var producer in session.ProducersBySsrc.Values)
        {
            if (producer.Simulcast is null)
                RemoveProducer(producer);
        }
        // Every layer, learned or not (only learned ones are in ProducersBySsrc).
        foreach (var simulcast in session.SsrcLearner?.Tracks ?? [])
        {
            foreach (var layer in simulcast.Layers)
                RemoveProducer(layer);
        }
    }

    /// <summary>Under the topology lock: a producer leaves (its publisher closed, or its import ended).</summary>
    public void RemoveProducer(Producer producer)
    {
        _producersByStream.TryRemove(new KeyValuePair<string, Producer>(producer.Track.StreamId, producer));
        foreach (var consumer in producer.Consumers)
        {
            consumer.Subscriber.ConsumersBySsrc.TryRemove(consumer.Track.OutputSsrc, out _);
            consumer.Detach();
        }
        ProducerRemoved?.Invoke(producer);
    }

    void IRoutedSessionHost.OnSessionConnected(IRoutedSession session)
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

    void IRoutedSessionHost.OnSessionFailed(IRoutedSession session, SessionCloseReason reason, string? detail) =>
        Close(session, reason, detail);

    private void SweepExpired()
    {
        foreach (var session in Table.CollectExpired(Environment.TickCount64, _consentTimeout))
            Close(session, SessionCloseReason.ConsentExpired, $"no verified STUN for {_consentTimeout.TotalSeconds:0} s");
    }

    /// <summary>Stops the sweep and closes every session.</summary>
    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var session in _sessionsById.Values)
            Close(session, SessionCloseReason.Shutdown, null);
    }
}
