using System.Collections.Concurrent;
using System.Collections.Immutable;
using Grains.Interfaces.Signaling;
using Microsoft.Extensions.Options;

namespace Gateway.Api;

/// <summary>
/// This gateway's <see cref="IRoomNotificationObserver"/>: registered with the cluster's
/// <see cref="IGatewayRegistryGrain"/> at start and refreshed every <see cref="IGatewayRegistryGrain.RefreshPeriod"/>
/// (which also re-creates the registry's activation after its silo died), it hands pushed notifications to
/// the room sockets open on this gateway. Pushes are the fast path for reconnect requests; the room's stream
/// stays the ordered, durable path for everything.
/// </summary>
public sealed partial class RoomNotificationHub(IGrainFactory cluster, IOptions<RoomNotificationHubOptions> options, ILogger<RoomNotificationHub> logger)
    : BackgroundService, IRoomNotificationObserver
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<RoomNotification>>> _listeners = new(StringComparer.Ordinal);
    private IRoomNotificationObserver? _reference;

    /// <summary>Unique per process: a restarted gateway is a new registration.</summary>
    public string GatewayId { get; } = options.Value.GatewayId
        ?? Environment.MachineName + "-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>True once the registry has accepted this gateway at least once.</summary>
    public bool Registered { get; private set; }

    /// <summary>Calls <paramref name="listener"/> with each notification pushed for <paramref name="roomId"/> until disposed.</summary>
    public IDisposable Listen(string roomId, Action<RoomNotification> listener)
    {
        _listeners.AddOrUpdate(roomId, _ => [listener], (_, list) => list.Add(listener));
        return new Listening(this, roomId, listener);
    }

    public Task NotifyAsync(RoomNotification notification)
    {
        if (_listeners.TryGetValue(notification.RoomId, out var listeners))
        {
            foreach (var listener in listeners)
                listener(notification);
        }
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = IGatewayRegistryGrain.RefreshPeriod;
            try
            {
                // Inside the try: before the client has connected it cannot even resolve the grain type.
                var registry = cluster.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key);
                _reference ??= cluster.CreateObjectReference<IRoomNotificationObserver>(this);
                await registry.RegisterAsync(GatewayId, _reference).WaitAsync(stoppingToken);
                if (!Registered)
                    LogRegistered(GatewayId);
                Registered = true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Not connected yet, or the registry is re-activating after a silo died.
                LogRegisterFailed(e.GetType().Name, e.Message);
                wait = RetryPeriod;
            }
            await Task.Delay(wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!Registered)
            return;
        try
        {
            await cluster.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key).UnregisterAsync(GatewayId)
                .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e)
        {
            // The registry drops it after its expiry anyway.
            LogRegisterFailed(e.GetType().Name, e.Message);
        }
        if (_reference is not null)
            cluster.DeleteObjectReference<IRoomNotificationObserver>(_reference);
    }

    private void Remove(string roomId, Action<RoomNotification> listener)
    {
        while (_listeners.TryGetValue(roomId, out var list))
        {
            var smaller = list.Remove(listener);
            bool done = smaller.IsEmpty
                ? _listeners.TryRemove(new KeyValuePair<string, ImmutableArray<Action<RoomNotification>>>(roomId, list))
                : _listeners.TryUpdate(roomId, smaller, list);
            if (done)
                return;
        }
    }

    private sealed class Listening(RoomNotificationHub hub, string roomId, Action<RoomNotification> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                hub.Remove(roomId, listener);
        }
    }

    [LoggerMessage(70, LogLevel.Information, "Gateway {GatewayId} registered for pushed room notifications")]
    private partial void LogRegistered(string gatewayId);

    [LoggerMessage(71, LogLevel.Debug, "Registering for pushed room notifications failed ({Type}: {Message}); retrying")]
    private partial void LogRegisterFailed(string type, string message);
}
