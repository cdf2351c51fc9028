using System.Collections.Concurrent;
using System.Collections.Immutable;
using Grains.Events;
using Grains.Interfaces.Events;
using Grains.Media;
using Grains.Rooms;
using Grains.Signaling;
using Grains.Storage.Sqlite;
using Grains.Tests.Fixtures;
using Grains.Tests.Signaling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;
using Rtc.TestCluster;

namespace Grains.Tests.Convergence;

/// <summary>
/// One silo with a real media node reconciled every 300 ms, closed rooms kept in the directory for 1 s, and an event
/// store whose reads of a chosen room can be held (to show who waits for a replay).
/// </summary>
public sealed class ConvergenceCluster : IAsyncLifetime
{
    public static readonly TimeSpan ReconcilePeriod = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan ClosedRoomRetention = TimeSpan.FromSeconds(1);

    private readonly TempDirectory _data = new("rtc-convergence");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public MediaNodeService Media => Cluster.Silos[0].ServiceProvider.GetRequiredService<MediaNodeService>();

    /// <summary>Participant view keys whose next view updates fail, each entry counting the failures left.</summary>
    public ConcurrentDictionary<string, int> FailingParticipantViews { get; } = new(StringComparer.Ordinal);

    public HeldReadsEventStore Store => (HeldReadsEventStore)Cluster.Silos[0].ServiceProvider.GetRequiredService<IRoomEventStore>();

    public async Task InitializeAsync()
    {
        Cluster = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 1, _data.Path, (_, silo) =>
        {
            silo.AddRtcMemoryStreams(StorageNames.StreamProvider);
            silo.Services.Configure<MediaNodeOptions>(o => o.ReconcilePeriod = ReconcilePeriod);
            silo.Services.Configure<RoomDirectoryOptions>(o => o.ClosedRoomRetention = ClosedRoomRetention);
            silo.Services.Replace(ServiceDescriptor.Singleton<IRoomEventStore>(sp =>
                new HeldReadsEventStore(new SqliteRoomEventStore(sp.GetRequiredService<SqliteDatabase>()))));
            // A participant view of an armed key fails its next updates from the room, as a storage outage would.
            silo.AddIncomingGrainCallFilter(context =>
            {
                string key = context.TargetId.Key.ToString() ?? "";
                if (context.InterfaceMethod.DeclaringType?.Name == "IParticipantGrain" && context.InterfaceMethod.Name == "JoinAsync"
                    && FailingParticipantViews.TryGetValue(key, out int left) && left > 0
                    && FailingParticipantViews.TryUpdate(key, left - 1, left))
                    throw new InvalidOperationException($"injected failure of the participant view {key}");
                return context.Invoke();
            });
        }).Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>The real store; reads of a held room wait until released (appends never wait).</summary>
public sealed class HeldReadsEventStore(IRoomEventStore inner) : IRoomEventStore
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);

    /// <summary>Holds reads of the room until <see cref="Release"/>.</summary>
    public void Hold(string roomId) => _held[roomId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string roomId)
    {
        if (_held.TryRemove(roomId, out var gate))
            gate.TrySetResult();
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken = default) => inner.AppendAsync(roomEvent, cancellationToken);

    public async Task<ImmutableArray<RoomEvent>> ReadAsync(string roomId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        if (_held.TryGetValue(roomId, out var gate))
        {
            ReadsHeld.TryAdd(roomId, true);
            await gate.Task.WaitAsync(cancellationToken);
        }
        return await inner.ReadAsync(roomId, afterSequence, limit, cancellationToken);
    }

    /// <summary>Rooms a read was held for.</summary>
    public ConcurrentDictionary<string, bool> ReadsHeld { get; } = new(StringComparer.Ordinal);

    public Task<long> GetLastSequenceAsync(string roomId, CancellationToken cancellationToken = default) => inner.GetLastSequenceAsync(roomId, cancellationToken);
}
