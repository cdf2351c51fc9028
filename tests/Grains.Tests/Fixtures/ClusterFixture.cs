using Grains.Events;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Silo.Hosting;
using Rtc.TestCluster;

namespace Grains.Tests.Fixtures;

/// <summary>
/// One in-process silo with the embedded profile's storage (SQLite in a temp directory), shared by the
/// tests of <see cref="ClusterCollection"/>. Tests use their own room ids, so they do not see each other.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("rtc-cluster");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IRoomEventStore EventStore => Cluster.GetSiloServiceProvider().GetRequiredService<IRoomEventStore>();

    public string DataDirectory => _data.Path;

    public async Task InitializeAsync()
    {
        Cluster = TestClusters.Create(TestClusterFeatures.None, 1, _data.Path).Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _data.Dispose();
    }

    public static string NewRoomId(string prefix = "room") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(64, prefix.Length + 33)];
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
