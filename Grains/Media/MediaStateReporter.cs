using System.Collections.Concurrent;
using System.Threading.Channels;
using Grains.Interfaces.Media;
using Grains.Interfaces.Signaling;
using Grains.Signaling;
using MediaPlane.Contracts;
using MediaPlane.WebRtc;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Grains.Media;

/// <summary>
/// Publishes this node's media-state events (<see cref="RtcStreams.MediaState"/>, keyed by session):
/// connected, DTLS failed, consent lost, closed, track started/stopped, periodic counters. Callers only
/// enqueue (never blocking a media thread); a few pumps publish, each session always through the same
/// pump so its events stay in order. When the stream cannot be written (no provider, queue down), the
/// events that change a session's state go to its grain as a direct call instead, so nothing is lost
/// that was never queued; counters are dropped with a log line.
/// </summary>
public sealed partial class MediaStateReporter : IAsyncDisposable
{
    private const int Pumps = 4;

    private readonly IStreamProvider? _streams;
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly Channel<MediaStateEvent>[] _queues = new Channel<MediaStateEvent>[Pumps];
    private readonly Task[] _pumps = new Task[Pumps];
    private readonly ConcurrentDictionary<string, SessionSample> _samples = new(StringComparer.Ordinal);

    public MediaStateReporter(IServiceProvider services, IGrainFactory grains, string nodeId, ILogger logger)
    {
        _streams = SignalingStreams.TryGetProvider(services);
        _grains = grains;
        _logger = logger;
        NodeId = nodeId;
        for (int i = 0; i < Pumps; i++)
        {
            _queues[i] = Channel.CreateUnbounded<MediaStateEvent>(new UnboundedChannelOptions { SingleReader = true });
            var queue = _queues[i];
            _pumps[i] = Task.Run(() => PumpAsync(queue));
        }
    }

    public string NodeId { get; }

    /// <summary>Events queued or being published (not yet handed to the stream or the fallback).</summary>
    public int Pending => Volatile.Read(ref _pending);

    private int _pending;

    public void Connected(string sessionId) => Enqueue(new MediaStateEvent
    {
        Type = MediaStateEventType.Connected, SessionId = sessionId, NodeId = NodeId, Timestamp = DateTimeOffset.UtcNow,
    });

    /// <summary>The session ended: its started tracks stop, then the end event with its reason.</summary>
    public void Closed(string sessionId, SessionCloseReason reason, string? detail)
    {
        var now = DateTimeOffset.UtcNow;
        if (_samples.TryRemove(sessionId, out var sample))
        {
            foreach (var streamId in sample.StartedTracks())
                Enqueue(new MediaStateEvent { Type = MediaStateEventType.TrackStopped, SessionId = sessionId, NodeId = NodeId, Timestamp = now, StreamId = streamId });
        }
        var type = reason switch
        {
            SessionCloseReason.DtlsFailed => MediaStateEventType.DtlsFailed,
            SessionCloseReason.ConsentExpired => MediaStateEventType.ConsentLost,
            _ => MediaStateEventType.Closed,
        };
        Enqueue(new MediaStateEvent
        {
            Type = type, SessionId = sessionId, NodeId = NodeId, Timestamp = now,
            Reason = detail is null ? reason.ToString() : $"{reason}: {detail}",
        });
    }

    /// <summary>
    /// Looks at a snapshot of every connected session of <paramref name="node"/>: a published track's first
    /// RTP becomes TrackStarted; with <paramref name="withStats"/>, each session's counters since the last
    /// sample become a Stats event. Reads counters only: no locks on the media path.
    /// </summary>
    public void Sample(IMediaNode node, bool withStats)
    {
        long nowTicks = Environment.TickCount64;
        var now = DateTimeOffset.UtcNow;
        var snapshots = node.SnapshotSessions();
        foreach (var session in snapshots)
        {
            var sample = _samples.GetOrAdd(session.SessionId, _ => new SessionSample(nowTicks));
            long packets = session.PacketsSent, octets = session.OctetsSent, lost = 0;
            var started = new List<string>();
            foreach (var track in session.Published)
            {
                packets += track.PacketsReceived;
                octets += track.OctetsReceived;
                lost += track.PacketsLost;
                if (track.PacketsReceived > 0 && sample.Start(track.StreamId))
                    started.Add(track.StreamId);
            }
            foreach (var streamId in started)
                Enqueue(new MediaStateEvent { Type = MediaStateEventType.TrackStarted, SessionId = session.SessionId, NodeId = NodeId, Timestamp = now, StreamId = streamId });
            if (withStats)
                Enqueue(sample.Advance(session.SessionId, NodeId, now, nowTicks, packets, octets, lost));
        }
        // A sample re-created by a race with the session's close would stay forever: drop those.
        if (withStats && _samples.Count > snapshots.Count)
        {
            var open = snapshots.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
            foreach (var id in _samples.Keys)
            {
                if (!open.Contains(id))
                    _samples.TryRemove(id, out _);
            }
        }
    }

    private void Enqueue(MediaStateEvent e)
    {
        int pump = (int)((uint)StringComparer.Ordinal.GetHashCode(e.SessionId) % Pumps);
        if (_queues[pump].Writer.TryWrite(e))
            Interlocked.Increment(ref _pending);
    }

    private async Task PumpAsync(Channel<MediaStateEvent> queue)
    {
        await foreach (var e in queue.Reader.ReadAllAsync())
        {
            try
            {
                if (_streams is null)
                    await DirectAsync(e); // a host without the provider (some test clusters): state changes only
                else
                    await _streams.MediaState(e.SessionId).OnNextAsync(e);
            }
            catch (Exception ex)
            {
                LogPublishFailed(ex, e.Type, e.SessionId);
                await DirectAsync(e);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    /// <summary>The fallback for state changes: the session grain itself.</summary>
    private async Task DirectAsync(MediaStateEvent e)
    {
        if (e.Type != MediaStateEventType.Connected && !e.EndsSession)
            return;
        try
        {
            var grain = _grains.GetGrain<IClientSessionGrain>(e.SessionId);
            if (e.Type == MediaStateEventType.Connected)
                await grain.MarkConnectedAsync();
            else
                await grain.CloseAsync(e.Reason ?? e.Type.ToString(), closedByNode: true);
        }
        catch (Exception ex)
        {
            LogDirectFailed(ex, e.SessionId);
        }
    }

    /// <summary>Stops taking events and waits (bounded) for the queued ones to be published.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
            queue.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_pumps).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // The store is unreachable: what is left is lost with the node, as its sessions are.
        }
    }

    private sealed class SessionSample(long ticks)
    {
        private long _ticks = ticks, _packets, _octets, _lost;

        private readonly HashSet<string> _started = new(StringComparer.Ordinal);

        /// <summary>True the first time a track is seen with RTP. The sampler and a closing session may race: locked.</summary>
        public bool Start(string streamId)
        {
            lock (_started)
                return _started.Add(streamId);
        }

        public string[] StartedTracks()
        {
            lock (_started)
                return [.. _started];
        }

        public MediaStateEvent Advance(string sessionId, string nodeId, DateTimeOffset now, long nowTicks, long packets, long octets, long lost)
        {
            double seconds = Math.Max(0.001, (nowTicks - _ticks) / 1000.0);
            long dPackets = Math.Max(0, packets - _packets);
            long dLost = Math.Max(0, lost - _lost);
            var stats = new MediaSessionStats(seconds, packets, octets, Math.Max(0, octets - _octets) * 8 / seconds, lost,
                dPackets + dLost == 0 ? 0 : (double)dLost / (dPackets + dLost));
            (_ticks, _packets, _octets, _lost) = (nowTicks, packets, octets, lost);
            return new MediaStateEvent { Type = MediaStateEventType.Stats, SessionId = sessionId, NodeId = nodeId, Timestamp = now, Stats = stats };
        }
    }

    [LoggerMessage(20, LogLevel.Warning, "Publishing media state {Type} of session {SessionId} failed")]
    private partial void LogPublishFailed(Exception e, MediaStateEventType type, string sessionId);

    [LoggerMessage(21, LogLevel.Warning, "Telling session grain {SessionId} about its media directly failed too")]
    private partial void LogDirectFailed(Exception e, string sessionId);
}
