using Grains;
using Grains.Interfaces.Signaling;
using Grains.Media;
using Grains.Signaling;
using Grains.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Silo.Hosting;

namespace Rtc.TestCluster;

/// <summary>What a test cluster has besides the grains and their storage.</summary>
[Flags]
public enum TestClusterFeatures
{
    None = 0,
    /// <summary>A real media node per silo: UDP media and relay ports on free loopback ports, one receive loop each, region "region-{silo name}".</summary>
    MediaNodes = 1,
    /// <summary>The production membership tuning (how fast a dead silo is declared dead), for tests that kill silos.</summary>
    ProductionMembership = 2,
}

/// <summary>
/// The suite's one test-cluster builder: in-process silos with the real grains on SQLite grain storage and event
/// store in <c>dataDirectory</c>, shared by every silo (so a grain of a killed silo comes back elsewhere with its
/// state). Streams are the embedded profile's signal-queue memory streams unless the caller brings its own.
/// </summary>
public static class TestClusters
{
    public static InProcessTestClusterBuilder Create(TestClusterFeatures features, short silos, string dataDirectory,
        Action<InProcessTestSiloSpecificOptions, ISiloBuilder>? streams = null, Action<IClientBuilder>? client = null,
        ILoggerProvider? logs = null, IReadOnlyDictionary<string, string?>? mediaSettings = null)
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
            if (features.HasFlag(TestClusterFeatures.ProductionMembership))
                silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
            if (streams is null)
                silo.AddRtcMemoryStreams(StorageNames.StreamProvider);
            else
                streams(options, silo);
            if (features.HasFlag(TestClusterFeatures.MediaNodes))
                silo.AddMediaNode(MediaNodeSettings(options.SiloName, mediaSettings));
        });
        if (client is not null)
            builder.ConfigureClient(client);
        return builder;
    }

    private static IConfiguration MediaNodeSettings(string siloName, IReadOnlyDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MediaPort:BindAddress"] = "127.0.0.1",
            ["MediaPort:Port"] = "0",
            ["MediaPort:ReceiveLoops"] = "1",
            ["RelayPort:BindAddress"] = "127.0.0.1",
            ["RelayPort:Port"] = "0",
            ["RelayPort:ReceiveLoops"] = "1",
            ["Silo:Region"] = "region-" + siloName,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
