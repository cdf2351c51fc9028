using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Signaling;
using Grains.Media;
using Grains.Storage.Sqlite;
using Grains.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;
using Silo.Hosting;

namespace Grains.Tests.Signaling;

/// <summary>
/// An in-process cluster whose silos each run a real media node (UDP on 127.0.0.1, a free port), the
/// production membership tuning, and SQLite grain storage shared by every silo (so a grain that lived on
/// a killed silo comes back elsewhere with its state). Streams are the caller's choice.
/// </summary>
public static class MediaCluster
{
    public static InProcessTestClusterBuilder Create(short silos, string dataDirectory, Action<InProcessTestSiloSpecificOptions, ISiloBuilder> streams,
        Action<IClientBuilder>? client = null, CapturedLogs? logs = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        if (logs is not null)
            builder.ConfigureSiloHost((_, host) => host.Logging.AddProvider(logs));
        builder.ConfigureSilo((options, silo) =>
        {
            silo.Services.AddRtcGrainServices();
            silo.Services.AddSqliteGrainStorage(StorageNames.Rtc, dataDirectory);
            silo.Services.AddSqliteGrainStorage(StorageNames.PubSub, dataDirectory);
            silo.Services.AddSqliteRoomEventStore(dataDirectory);
            silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
            streams(options, silo);
            var media = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MediaPort:BindAddress"] = "127.0.0.1",
                ["MediaPort:Port"] = "0",
                ["MediaPort:ReceiveLoops"] = "1",
                ["RelayPort:BindAddress"] = "127.0.0.1",
                ["RelayPort:Port"] = "0",
                ["RelayPort:ReceiveLoops"] = "1",
                ["Silo:Region"] = "region-" + options.SiloName,
            }).Build();
            silo.AddMediaNode(media);
        });
        if (client is not null)
            builder.ConfigureClient(client);
        return builder;
    }

    /// <summary>A session spec the node accepts (no client will ever connect to it).</summary>
    public static MediaSessionSpec Spec(string sessionId, ImmutableArray<PublishTrackSpec> publish) => new(
        sessionId, "remoteufrag" + sessionId[..4], ["sha-256 " + string.Join(':', Enumerable.Range(0, 32).Select(i => i.ToString("X2")))],
        DtlsServer: true, publish, []);

    public static string NewSessionId() => Guid.NewGuid().ToString("N");

    public static string NodeId(InProcessSiloHandle silo) => silo.SiloAddress.ToParsableString();
}

/// <summary>Collects one stream's items with the moment each arrived.</summary>
public sealed class Recorder<T>
{
    private readonly List<(T Item, DateTimeOffset At)> _items = [];

    public Task OnNextAsync(T item)
    {
        lock (_items)
            _items.Add((item, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public IReadOnlyList<(T Item, DateTimeOffset At)> Items
    {
        get { lock (_items) return _items.ToList(); }
    }
}

internal static class RtcTestStreams
{
    public static StreamId RoomNotify(string roomId) => StreamId.Create(RtcStreams.RoomNotify, roomId);
}
