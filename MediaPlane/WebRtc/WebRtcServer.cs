using System.Collections.Concurrent;
using MediaPlane.Dtls;
using MediaPlane.Ice;
using MediaPlane.Routing;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

/// <summary>
/// A silo's WebRTC media node (mediasoup's WebRtcServer plus Router): one UDP port for every client,
/// STUN routed by ufrag, everything else by the client's address; sessions, producers and consumers.
/// The control plane opens and closes sessions; packets never leave this class for it.
/// </summary>
public sealed partial class WebRtcServer : IMediaNode, IDatagramHandler, IWebRtcSessionHost, IDisposable
{
    private readonly WebRtcServerOptions _options;
    private readonly IMediaSessionObserver _observer;
    private readonly SessionTable<WebRtcSession> _table = new();
    private readonly ConcurrentDictionary<string, WebRtcSession> _sessionsById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Producer> _producersByStream = new(StringComparer.Ordinal);
    private readonly Lock _topologyLock = new();
    private readonly IceLiteServer<WebRtcSession> _ice;
    private readonly UdpMediaPort _port;
    private readonly Timer _sweeper;
    private readonly Timer _reporter;

    public WebRtcServer(WebRtcServerOptions options, IMediaSessionObserver observer, DtlsCertificate? certificate = null)
    {
        _options = options;
        _observer = observer;
        Certificate = certificate ?? DtlsCertificate.Generate();
        _ice = new IceLiteServer<WebRtcSession>(_table);
        _port = new UdpMediaPort(options.Port, this);
        _port.Start();
        _sweeper = new Timer(_ => SweepExpired(), null, options.SweepInterval, options.SweepInterval);
        _reporter = new Timer(_ => SendReports(), null, options.ReportInterval, options.ReportInterval);
        if (options.Relay is { } relay)
        {
            try
            {
                StartRelay(relay);
            }
            catch
            {
                Dispose();
                throw;
            }
        }
    }

    public DtlsCertificate Certificate { get; }

    public int Port => _port.Port;

    public string AdvertisedAddress => _port.AdvertisedAddress.ToString();

    public MediaPlaneCounters Counters { get; } = new();

    public IceLiteServer<WebRtcSession> Ice => _ice;

    public int SessionCount => _sessionsById.Count;

    public long DatagramsReceived => _port.DatagramsReceived;

    public bool TryGetSession(string sessionId, out WebRtcSession? session) => _sessionsById.TryGetValue(sessionId, out session);

    public IReadOnlyCollection<WebRtcSession> Sessions => (IReadOnlyCollection<WebRtcSession>)_sessionsById.Values;

    public bool TryGetProducer(string streamId, out Producer? producer) => _producersByStream.TryGetValue(streamId, out producer);

    /// <summary>
    /// Opens a session: its published tracks become producers, its subscribed tracks consumers of
    /// producers already on this node. Throws <see cref="MediaSessionException"/> when it cannot.
    /// </summary>
    public MediaSessionAnswer Open(MediaSessionRequest request)
    {
        if (_sessionsById.Count >= _options.MaxSessions)
            throw new MediaSessionException($"This media node is full ({_options.MaxSessions} sessions).");
        var session = new WebRtcSession(request, Certificate, _options.Dtls, this);
        lock (_topologyLock)
        {
            Validate(request);
            if (!_sessionsById.TryAdd(request.SessionId, session))
                throw new MediaSessionException($"Session '{request.SessionId}' already exists.");
            foreach (var track in request.Publish)
            {
                var producer = new Producer(track, session) { SendKeyframeRequest = SendPictureLossIndication };
                _producersByStream[track.StreamId] = producer;
                session.ProducersBySsrc[track.Ssrc] = producer;
            }
            foreach (var track in request.Subscribe)
            {
                var consumer = new Consumer(_producersByStream[track.StreamId], session, track);
                session.ConsumersBySsrc[track.OutputSsrc] = consumer;
                consumer.Producer.AddConsumer(consumer);
            }
            if (!_table.TryAdd(session))
            {
                RemoveTopology(session);
                throw new MediaSessionException("ICE ufrag collision; try again.");
            }
        }
        return new MediaSessionAnswer(session.Id, session.LocalCredentials.Ufrag, session.LocalCredentials.Password,
            Certificate.Fingerprint, AdvertisedAddress, Port);
    }

    /// <summary>
    /// ICE restart (RFC 8445 §2.4, RFC 9725 §4.3.2): the session gets new local credentials and the
    /// client's new ufrag; its DTLS association, SRTP keys, producers and consumers stay. Null when no
    /// such session is open. The client's next verified check may come from a new address.
    /// </summary>
    public MediaSessionAnswer? RestartIce(string sessionId, string remoteUfrag)
    {
        if (!_sessionsById.TryGetValue(sessionId, out var session))
            return null;
        lock (_topologyLock)
        {
            // Checked under the lock Close takes, so a closing session is never filed again.
            if (session.IsClosed)
                return null;
            var previous = session.LocalCredentials;
            string previousRemote = session.RemoteUfrag;
            session.ReplaceIceCredentials(IceCredentials.Generate(), remoteUfrag);
            if (!_table.TryRekey(session, previous.Ufrag))
            {
                session.ReplaceIceCredentials(previous, previousRemote);
                throw new MediaSessionException("ICE ufrag collision; try again.");
            }
        }
        return new MediaSessionAnswer(session.Id, session.LocalCredentials.Ufrag, session.LocalCredentials.Password,
            Certificate.Fingerprint, AdvertisedAddress, Port);
    }

    private void Validate(MediaSessionRequest request)
    {
        if (_sessionsById.ContainsKey(request.SessionId))
            throw new MediaSessionException($"Session '{request.SessionId}' already exists.");
        if (request.Publish.Select(t => t.StreamId).Distinct().Count() != request.Publish.Count
            || request.Publish.Select(t => t.Ssrc).Distinct().Count() != request.Publish.Count)
            throw new MediaSessionException("Published tracks must have distinct stream ids and SSRCs.");
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
    public bool Close(string sessionId, SessionCloseReason reason = SessionCloseReason.Requested, string? detail = null)
    {
        if (!_sessionsById.TryGetValue(sessionId, out var session))
            return false;
        return Close(session, reason, detail);
    }

    private bool Close(WebRtcSession session, SessionCloseReason reason, string? detail)
    {
        if (!session.MarkClosed())
            return false;
        lock (_topologyLock)
        {
            _sessionsById.TryRemove(new KeyValuePair<string, WebRtcSession>(session.Id, session));
            _table.Remove(session);
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

    void IWebRtcSessionHost.OnSessionConnected(WebRtcSession session)
    {
        // A new subscriber needs a keyframe now, not at the publisher's next periodic one.
        foreach (var consumer in session.ConsumersBySsrc.Values)
            RunOnOwner(consumer.Producer, RouterWork.RequestKeyframe, consumer.Producer, 0, current: null);
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
        foreach (var session in _table.CollectExpired(Environment.TickCount64, _options.ConsentTimeout))
            Close(session, SessionCloseReason.ConsentExpired, $"no verified STUN for {_options.ConsentTimeout.TotalSeconds:0} s");
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        _reporter.Dispose();
        _relayTimer?.Dispose();
        _relay?.Dispose();
        _port.Dispose();
        foreach (var session in _sessionsById.Values)
            Close(session, SessionCloseReason.Shutdown, null);
    }
}
