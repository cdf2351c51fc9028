using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Microsoft.Extensions.Logging;

namespace Grains.Media;

/// <summary>The sessions of one media node, in storage; see <see cref="IMediaNodeSessionsGrain"/>.</summary>
public sealed partial class MediaNodeSessionsGrain(
    [PersistentState("nodeSessions", StorageNames.Rtc)] IPersistentState<MediaNodeSessionsState> state,
    ILogger<MediaNodeSessionsGrain> logger) : Grain, IMediaNodeSessionsGrain
{
    private string NodeId => this.GetPrimaryKeyString();

    /// <summary>This node is in <see cref="IKnownMediaNodesGrain"/> (told once per activation).</summary>
    private bool _known;

    public async Task<bool> AddAsync(string sessionId)
    {
        if (state.State.Dead)
            return false;
        var sessions = state.State.Sessions;
        int i = sessions.BinarySearch(sessionId, StringComparer.Ordinal);
        if (i < 0)
        {
            sessions.Insert(~i, sessionId);
            await state.WriteStateAsync();
        }
        if (!_known)
        {
            await GrainFactory.GetGrain<IKnownMediaNodesGrain>(IKnownMediaNodesGrain.Key).AddAsync(NodeId);
            _known = true;
        }
        return true;
    }

    public async Task RemoveAsync(string sessionId)
    {
        var sessions = state.State.Sessions;
        int i = sessions.BinarySearch(sessionId, StringComparer.Ordinal);
        if (i < 0)
            return;
        sessions.RemoveAt(i);
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> GetAsync() => Task.FromResult(state.State.Sessions.ToImmutableArray());

    public Task<bool> IsDeadAsync() => Task.FromResult(state.State.Dead);

    /// <summary>
    /// Marks the node dead first (a session recorded from now on closes at once), then tells every
    /// session at the same time and forgets those that closed.
    /// </summary>
    public async Task<int> NodeDiedAsync()
    {
        if (!state.State.Dead)
        {
            state.State.Dead = true;
            await state.WriteStateAsync();
        }
        var sessions = state.State.Sessions.ToArray();
        if (sessions.Length == 0)
        {
            await ForgetNodeAsync();
            return 0;
        }
        LogNodeDied(NodeId, sessions.Length);
        var results = await Task.WhenAll(sessions.Select(async id =>
        {
            try
            {
                await GrainFactory.GetGrain<IClientSessionGrain>(id).NodeLostAsync(NodeId);
                return id;
            }
            catch (Exception e)
            {
                // Stays listed: the next death notice (any silo's watcher, or a restart) tries again.
                LogSessionFailed(e, id, NodeId);
                return null;
            }
        }));
        var closed = results.OfType<string>().ToHashSet(StringComparer.Ordinal);
        state.State.Sessions.RemoveAll(closed.Contains);
        await state.WriteStateAsync();
        if (state.State.Sessions.Count == 0)
            await ForgetNodeAsync();
        return closed.Count;
    }

    private Task ForgetNodeAsync() => GrainFactory.GetGrain<IKnownMediaNodesGrain>(IKnownMediaNodesGrain.Key).RemoveAsync(NodeId);

    [LoggerMessage(30, LogLevel.Warning, "Media node {NodeId} died with {Count} sessions: asking their clients to reconnect")]
    private partial void LogNodeDied(string nodeId, int count);

    [LoggerMessage(31, LogLevel.Warning, "Session {SessionId} of dead node {NodeId} could not be closed")]
    private partial void LogSessionFailed(Exception e, string sessionId, string nodeId);
}
