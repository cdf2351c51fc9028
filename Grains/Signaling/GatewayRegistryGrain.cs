using System.Collections.Immutable;
using Grains.Interfaces.Signaling;
using Microsoft.Extensions.Logging;

namespace Grains.Signaling;

/// <summary>
/// See <see cref="IGatewayRegistryGrain"/>. Storage is written only when the set of gateways changes, not on
/// every refresh; after a re-activation every stored gateway gets a full <see cref="IGatewayRegistryGrain.Expiry"/>
/// to refresh before it is dropped.
/// </summary>
public sealed partial class GatewayRegistryGrain(
    [PersistentState("gatewayRegistry", StorageNames.Rtc)] IPersistentState<GatewayRegistryState> state,
    TimeProvider time,
    ILogger<GatewayRegistryGrain> logger) : Grain, IGatewayRegistryGrain
{
    private const int PushAttempts = 4;
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PushRetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly Dictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (string gateway in state.State.Observers.Keys)
            _lastSeen[gateway] = now;
        return Task.CompletedTask;
    }

    public async Task RegisterAsync(string gatewayId, IRoomNotificationObserver observer)
    {
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        ArgumentNullException.ThrowIfNull(observer);
        _lastSeen[gatewayId] = time.GetUtcNow();
        bool changed = !state.State.Observers.TryGetValue(gatewayId, out var known) || !known.Equals(observer);
        if (changed)
        {
            state.State.Observers[gatewayId] = observer;
            LogRegistered(gatewayId, state.State.Observers.Count);
        }
        if (DropExpired() || changed)
            await state.WriteStateAsync();
    }

    public async Task UnregisterAsync(string gatewayId)
    {
        _lastSeen.Remove(gatewayId);
        if (state.State.Observers.Remove(gatewayId))
            await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> GetGatewaysAsync() =>
        Task.FromResult(state.State.Observers.Keys.Order(StringComparer.Ordinal).ToImmutableArray());

    public async Task<int> BroadcastAsync(RoomNotification notification)
    {
        // Interleaves with everything (see the interface): reads a snapshot, writes no state.
        var oldest = time.GetUtcNow() - IGatewayRegistryGrain.Expiry;
        var live = state.State.Observers.Where(g => _lastSeen.TryGetValue(g.Key, out var seen) && seen >= oldest).ToArray();
        var sent = await Task.WhenAll(live.Select(g => PushAsync(g.Key, g.Value, notification)));
        return sent.Count(ok => ok);
    }

    private async Task<bool> PushAsync(string gateway, IRoomNotificationObserver observer, RoomNotification notification)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await observer.NotifyAsync(notification).WaitAsync(PushTimeout);
                return true;
            }
            catch (Exception e) when (attempt < PushAttempts)
            {
                LogPushRetry(gateway, attempt, e.GetType().Name);
                await Task.Delay(PushRetryDelay);
            }
            catch (Exception e)
            {
                // A gateway that is gone: it stops refreshing and expires.
                LogPushFailed(e, gateway);
                return false;
            }
        }
    }

    private bool DropExpired()
    {
        var oldest = time.GetUtcNow() - IGatewayRegistryGrain.Expiry;
        var expired = state.State.Observers.Keys.Where(g => !_lastSeen.TryGetValue(g, out var seen) || seen < oldest).ToList();
        foreach (string gateway in expired)
        {
            state.State.Observers.Remove(gateway);
            _lastSeen.Remove(gateway);
            LogExpired(gateway);
        }
        return expired.Count > 0;
    }

    [LoggerMessage(60, LogLevel.Information, "Gateway {GatewayId} registered for room notifications ({Count} gateways)")]
    private partial void LogRegistered(string gatewayId, int count);

    [LoggerMessage(61, LogLevel.Information, "Gateway {GatewayId} stopped refreshing its registration and was dropped")]
    private partial void LogExpired(string gatewayId);

    [LoggerMessage(63, LogLevel.Information, "Pushing a room notification to gateway {GatewayId} failed (attempt {Attempt}, {Error}); retrying")]
    private partial void LogPushRetry(string gatewayId, int attempt, string error);

    [LoggerMessage(62, LogLevel.Warning, "Pushing a room notification to gateway {GatewayId} failed")]
    private partial void LogPushFailed(Exception e, string gatewayId);
}
