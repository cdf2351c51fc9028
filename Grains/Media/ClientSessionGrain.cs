using Grains.Interfaces.Media;
using Grains.Limits;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Microsoft.Extensions.Logging;

namespace Grains.Media;

/// <summary>One WHIP/WHEP session; see <see cref="IClientSessionGrain"/>.</summary>
public sealed partial class ClientSessionGrain(
    [PersistentState("clientSession", "rtc")] IPersistentState<ClientSessionState> state,
    ILogger<ClientSessionGrain> logger) : Grain, IClientSessionGrain
{
    public async Task RecordAsync(ClientSessionInfo info)
    {
        state.State.Session = info;
        await state.WriteStateAsync();
        if (info.Status == ClientSessionStatus.Closed)
            return;
        await Participant(info).AddSessionAsync(info.SessionId);
        // Indexed under its node (in storage), so that the node's death finds it.
        if (!await NodeIndex(info.NodeId).AddAsync(info.SessionId))
        {
            await NodeLostAsync(info.NodeId);
            return;
        }
        // The kick race: a kick (or leave, or room close) that committed after this session's join but read the
        // participant's sessions before the line above never ends this one. The room commits its participants before it
        // looks for sessions, so asking it now, after the session is on the participant, sees any such kick.
        if (!await IsStillInRoomAsync(info))
            await CloseCoreAsync("participant no longer in the room", closedByNode: false, unindex: true);
    }

    private async Task<bool> IsStillInRoomAsync(ClientSessionInfo info)
    {
        try
        {
            var participants = await GrainFactory.GetGrain<IRoomGrain>(info.RoomId).GetParticipantsAsync();
            return participants.Any(p => p.Identity == info.Identity);
        }
        catch (RoomException)
        {
            return true; // no such room (yet): nobody can have been removed from it
        }
    }

    public Task<ClientSessionInfo?> GetAsync() => Task.FromResult(state.State.Session);

    public async Task MarkConnectedAsync()
    {
        if (state.State.Session is not { Status: ClientSessionStatus.Opening } session)
            return;
        state.State.Session = session with { Status = ClientSessionStatus.Connected };
        await state.WriteStateAsync();
        SessionLifecycleLog.Connected(logger, session);
    }

    public Task CloseAsync(string reason, bool closedByNode) => CloseCoreAsync(reason, closedByNode, unindex: true);

    /// <param name="unindex">False when the node's index is the caller (it forgets the session itself; calling back would deadlock).</param>
    private async Task CloseCoreAsync(string reason, bool closedByNode, bool unindex)
    {
        if (state.State.Session is not { } session || session.Status == ClientSessionStatus.Closed)
            return;
        if (!closedByNode)
        {
            try
            {
                await GrainFactory.GetGrain<IMediaNodeGrain>(session.NodeId).CloseSessionAsync(session.SessionId);
            }
            catch (Exception e)
            {
                // Its silo is gone, and the session with it: the room must still be put right.
                logger.LogWarning(e, "Closing session {SessionId} on node {NodeId} failed", session.SessionId, session.NodeId);
            }
        }
        await UndoInRoomAsync(session);
        SessionQuotas.Release(GrainFactory, session);
        state.State.Session = session with { Status = ClientSessionStatus.Closed, CloseReason = reason };
        await state.WriteStateAsync();
        try
        {
            await Participant(session).RemoveSessionAsync(session.SessionId);
            if (unindex)
                await NodeIndex(session.NodeId).RemoveAsync(session.SessionId);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Removing session {SessionId} from its participant or the index of node {NodeId} failed", session.SessionId, session.NodeId);
        }
        SessionLifecycleLog.Closed(logger, session, reason);
    }

    private IParticipantGrain Participant(ClientSessionInfo session) =>
        GrainFactory.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(session.RoomId, session.Identity));

    public async Task<MediaSessionGrant?> RestartIceAsync(string remoteUfrag, string newETag, string? remotePassword = null)
    {
        if (state.State.Session is not { } session || session.Status == ClientSessionStatus.Closed)
            return null;
        var grant = await GrainFactory.GetGrain<IMediaNodeGrain>(session.NodeId).RestartIceAsync(session.SessionId, remoteUfrag, remotePassword);
        if (grant is null)
            return null;
        state.State.Session = session with { ETag = newETag };
        await state.WriteStateAsync();
        logger.LogInformation("Session {SessionId} of {Identity} in {RoomId}: ICE restarted", session.SessionId, session.Identity, session.RoomId);
        return grant;
    }

    private async Task UndoInRoomAsync(ClientSessionInfo session)
    {
        var room = GrainFactory.GetGrain<IRoomGrain>(session.RoomId);
        foreach (var streamId in session.StreamIds)
        {
            try
            {
                if (session.Kind == ClientSessionKind.Publish)
                    await room.UnpublishAsync(streamId);
                else
                    await room.UnsubscribeAsync(session.Identity, streamId);
            }
            catch (RoomException e) when (e.Code is RoomErrorCode.NotFound or RoomErrorCode.Closed or RoomErrorCode.Conflict)
            {
                // Already gone (unpublished by its publisher, room closed): nothing to undo.
            }
        }
        var participant = Participant(session);
        if ((await participant.GetPublishedAsync()).IsEmpty && (await participant.GetSubscriptionsAsync()).IsEmpty)
        {
            try
            {
                await room.LeaveAsync(session.Identity);
            }
            catch (RoomException)
            {
                // Room closed meanwhile: everyone has left already.
            }
        }
    }
}
