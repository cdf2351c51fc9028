using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Signaling;
using Grains.Signaling;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Grains.Media;

/// <summary>
/// The session's side of internal signaling: it consumes its media-state stream (implicit subscription,
/// keyed by the session id, so a report queued while this grain's silo was down is delivered to its next
/// activation), and when its node dies it asks the room's clients to reconnect before closing.
/// </summary>
[ImplicitStreamSubscription(RtcStreams.MediaState)]
public sealed partial class ClientSessionGrain : IStreamSubscriptionObserver, IAsyncObserver<MediaStateEvent>
{
    private ImmutableArray<string> _liveTracks = [];
    private MediaSessionStats? _stats;
    private DateTimeOffset? _lastReportAt;

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<MediaStateEvent>().ResumeAsync(this);

    public async Task OnNextAsync(MediaStateEvent item, StreamSequenceToken? token = null)
    {
        _lastReportAt = item.Timestamp;
        switch (item.Type)
        {
            case MediaStateEventType.Connected:
                await MarkConnectedAsync();
                break;
            case MediaStateEventType.TrackStarted when item.StreamId is { } started && !_liveTracks.Contains(started):
                _liveTracks = _liveTracks.Add(started);
                break;
            case MediaStateEventType.TrackStopped when item.StreamId is { } stopped:
                _liveTracks = _liveTracks.Remove(stopped);
                break;
            case MediaStateEventType.Stats:
                _stats = item.Stats;
                break;
            case var _ when item.EndsSession:
                _liveTracks = [];
                await CloseAsync(item.Reason ?? item.Type.ToString(), closedByNode: true);
                break;
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task ReportAudioLevelAsync(string streamId, int levelDbov)
    {
        if (state.State.Session is { Kind: ClientSessionKind.Publish } session && session.Status != ClientSessionStatus.Closed)
            return GrainFactory.GetGrain<Interfaces.Rooms.IRoomSpeakersGrain>(session.RoomId).ReportLevelAsync(session.Identity, streamId, levelDbov);
        return Task.CompletedTask;
    }

    public Task<ClientSessionMediaState> GetMediaStateAsync() =>
        Task.FromResult(new ClientSessionMediaState(_liveTracks, _stats, _lastReportAt));

    public async Task NodeLostAsync(string nodeId)
    {
        if (state.State.Session is not { } session || session.Status == ClientSessionStatus.Closed || session.NodeId != nodeId)
            return;
        string prefix = session.Kind == ClientSessionKind.Publish ? "whip" : "whep";
        var notification = new RoomNotification
        {
            Type = RoomNotificationType.ReconnectRequested,
            RoomId = session.RoomId,
            Timestamp = DateTimeOffset.UtcNow,
            Identity = session.Identity,
            SessionId = session.SessionId,
            Resource = $"/{prefix}/{Uri.EscapeDataString(session.RoomId)}/{session.SessionId}",
            Reason = "media node lost",
        };
        SessionLifecycleLog.ReconnectRequested(logger, session, notification.Reason ?? "");
        // Close (and undo the room changes) first: a client that reconnects as soon as it is told must find
        // its old subscriptions gone, or the old session's clean-up would undo the new session's joins.
        // Bounded: when the room's grain was on the dead silo too, the clean-up waits for its reactivation,
        // and the client must not wait for that.
        var closing = CloseCoreAsync("media node lost", closedByNode: true, unindex: false);
        try
        {
            await closing.WaitAsync(TimeSpan.FromSeconds(1.5));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Session {SessionId}: room clean-up still running after 1.5 s; asking the client to reconnect now", session.SessionId);
        }
        finally
        {
            var now = notification with { Timestamp = DateTimeOffset.UtcNow };
            // Both paths: the gateways' direct push arrives at once; the queue-backed stream is the durable copy
            // (the room's sockets drop the second of the two).
            await Task.WhenAll(PushToGatewaysAsync(now), PublishOnStreamAsync(now));
        }
        await closing;
    }

    private async Task PushToGatewaysAsync(RoomNotification notification)
    {
        // The registry grain may itself be re-activating after the death: a second try is cheap.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await GrainFactory.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key).BroadcastAsync(notification);
                return;
            }
            catch (Exception e) when (attempt < 3)
            {
                logger.LogInformation(e, "Pushing the reconnect request of session {SessionId} to the gateways failed (attempt {Attempt}); retrying", notification.SessionId, attempt);
                await Task.Delay(100 * attempt);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Pushing the reconnect request of session {SessionId} to the gateways failed; the stream still carries it", notification.SessionId);
                return;
            }
        }
    }

    private async Task PublishOnStreamAsync(RoomNotification notification)
    {
        try
        {
            if (SignalingStreams.TryGetProvider(ServiceProvider) is { } streams)
                await streams.RoomNotify(notification.RoomId).OnNextAsync(notification);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Asking room {RoomId} to reconnect session {SessionId} failed", notification.RoomId, notification.SessionId);
        }
    }

    private IMediaNodeSessionsGrain NodeIndex(string nodeId) => GrainFactory.GetGrain<IMediaNodeSessionsGrain>(nodeId);
}
