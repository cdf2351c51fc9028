using Grains.Interfaces.Routing;
using Grains.SignalQueues;
using Grains.Signaling;
using Grains.Tests.Fixtures;
using Grains.Tests.Signaling;
using MediaPlane.WebRtc;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Rtc.TestCluster;
using Rtc.TestSupport;

namespace Grains.Tests.Routing;

/// <summary>
/// Issue 22 items 3 and 4 on a real three-silo cluster with real media nodes: each silo probes the others' relay ports
/// (relay v2 probes, sealed per link), reports the links to the route table grain, and the grain pushes every node its
/// next-hop table; a killed silo leaves the tables the survivors hold.
/// </summary>
public class RelayProbingClusterTests
{
    [Fact]
    public async Task Silos_probe_each_other_report_links_and_receive_their_tables_and_a_killed_silo_leaves_them()
    {
        using var data = new TempDirectory("rtc-probing");
        var builder = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 3, data.Path,
            (_, silo) => silo.AddRtcMemoryStreams(StorageNames.StreamProvider), client => client.AddSignalQueueStreams(StorageNames.StreamProvider));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var routes = cluster.Client.GetGrain<IRouteTableGrain>(IRouteTableGrain.Key);
        string[] nodes = [.. cluster.Silos.Select(MediaCluster.NodeId)];

        // Every directed link between the three is probed and reported, with no report from the test.
        var snapshot = await Poll.UntilAsync(routes.GetTablesAsync, s => s.Links.Length == 6 && s.Links.All(l => l.LossPct == 0),
            TimeSpan.FromSeconds(60), "six probed links, none lossy");
        snapshot.Links.Should().OnlyContain(l => l.RttMs > 0 && l.RttMs < 1000 && nodes.Contains(l.From) && nodes.Contains(l.To));

        // Every media node holds its own table, as the grain computed it (loopback: every next hop is direct).
        foreach (var silo in cluster.Silos)
        {
            string self = MediaCluster.NodeId(silo);
            var held = await Poll.UntilAsync(() => Task.FromResult(Node(silo).RelayRoutes), t => t.NextHops.Count == 2,
                TimeSpan.FromSeconds(30), $"{self} receives a table with two destinations");
            held.Version.Should().BeGreaterThan(0);
            var computed = await routes.GetTableAsync(self);
            foreach (var route in computed.Routes)
                held.NextHopTo(route.Destination).Should().Be(route.NextHop);
        }

        // A killed silo leaves the survivors' tables, pushed without any call from the test.
        var victim = cluster.Silos[2];
        string gone = MediaCluster.NodeId(victim);
        await cluster.KillSiloAsync(victim);
        foreach (var silo in cluster.Silos.Where(s => s != victim))
        {
            var held = await Poll.UntilAsync(() => Task.FromResult(Node(silo).RelayRoutes),
                t => t.NextHops.Count == 1 && t.NextHopTo(gone) is null, TimeSpan.FromSeconds(90), $"{MediaCluster.NodeId(silo)} drops {gone}");
            held.NextHops.Keys.Should().OnlyContain(n => nodes.Contains(n) && n != gone);
        }
    }

    private static IMediaNode Node(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<IMediaNode>();
}
