using System.Collections.Immutable;
using Grains.Interfaces.Routing;
using Grains.SignalQueues;
using Grains.Signaling;
using Grains.Tests.Fixtures;
using Grains.Tests.Signaling;
using Rtc.TestCluster;
using Rtc.TestSupport;

namespace Grains.Tests.Routing;

/// <summary>The route table grain on a real in-process cluster: nodes from membership, links from reports.</summary>
public class RouteTableGrainTests
{
    [Fact]
    public async Task Tables_follow_reports_and_membership_and_a_killed_silo_leaves_them()
    {
        using var data = new TempDirectory("rtc-routes");
        // The silos' own probers are off: this test plays them, with link numbers of its own.
        var builder = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 3, data.Path, (_, silo) => silo.AddRtcMemoryStreams(StorageNames.StreamProvider),
            client => client.AddSignalQueueStreams(StorageNames.StreamProvider), mediaSettings: new Dictionary<string, string?> { ["Relay:ProbeInterval"] = "00:00:00" });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var routes = cluster.Client.GetGrain<IRouteTableGrain>(IRouteTableGrain.Key);
        string a = MediaCluster.NodeId(cluster.Silos[0]), b = MediaCluster.NodeId(cluster.Silos[1]), c = MediaCluster.NodeId(cluster.Silos[2]);

        await Poll.UntilAsync(routes.GetTablesAsync, s => s.Nodes.Length == 3, TimeSpan.FromSeconds(20), "three nodes from membership");
        (await routes.GetTableAsync("no-such-node")).Version.Should().Be(0);

        // a -> c direct is slow; a -> b -> c is faster.
        await routes.ReportLinksAsync(a, [new LinkProbe(b, 20, 0, 0), new LinkProbe(c, 300, 0, 0), new LinkProbe("ghost", 1, 0, 0)]);
        await routes.ReportLinksAsync(b, [new LinkProbe(a, 20, 0, 0), new LinkProbe(c, 20, 0, 0)]);
        long version = await routes.ReportLinksAsync(c, [new LinkProbe(a, 300, 0, 0), new LinkProbe(b, 20, 0, 0)]);

        var table = await routes.GetTableAsync(a);
        table.RouteTo(c)!.Path.Should().Equal(b, c);
        table.Version.Should().BeGreaterThan(0);
        var snapshot = await routes.GetTablesAsync();
        snapshot.Version.Should().Be(version);
        snapshot.Links.Should().HaveCount(6, "the link to an unknown node is ignored");

        // Silo b dies: it leaves the nodes, its links and every path through it, without any report.
        await cluster.KillSiloAsync(cluster.Silos[1]);
        // The survivors' probers keep reporting about once a second, as on a real cluster: links live 10 s
        // (RouteTableGrain.LinkLifetime), and the grain itself may have lived on the killed silo and be rebuilt empty.
        async Task<RouteSnapshot> ReportAndRead()
        {
            await routes.ReportLinksAsync(a, [new LinkProbe(b, 20, 0, 0), new LinkProbe(c, 300, 0, 0)]);
            await routes.ReportLinksAsync(c, [new LinkProbe(a, 300, 0, 0), new LinkProbe(b, 20, 0, 0)]);
            await Task.Delay(500);
            return await routes.GetTablesAsync();
        }
        var after = await Poll.UntilAsync(ReportAndRead, s => !s.Nodes.Contains(b) && s.Tables.Any(t => t.Node == a && t.RouteTo(c) is not null),
            TimeSpan.FromSeconds(60), "the dead silo leaves and a routes to c directly");
        after.Links.Should().NotContain(l => l.From == b || l.To == b);
        after.Tables.Single(t => t.Node == a).RouteTo(c)!.Path.Should().Equal(c);
        after.Tables.Should().NotContain(t => t.Node == b, "the dead silo has no table");
    }
}
