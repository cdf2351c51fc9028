using Grains.Interfaces.Routing;
using Grains.Routing;

namespace Grains.Tests.Routing;

public class RouteComputationTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    /// <summary>Four regions; links both ways with the given RTTs, no loss, no jitter.</summary>
    private static RouteComputation Mesh(params (string A, string B, double RttMs)[] links)
    {
        var routes = new RouteComputation();
        foreach (var (a, b, _) in links)
        {
            routes.AddNode(a);
            routes.AddNode(b);
        }
        foreach (string node in routes.Nodes.ToList())
        {
            Report(routes, node, links);
        }
        routes.Recompute();
        return routes;
    }

    private static void Report(RouteComputation routes, string node, (string A, string B, double RttMs)[] links, double lossPct = 0) =>
        routes.ReportLinks(node, links.Where(l => l.A == node || l.B == node)
            .Select(l => new LinkProbe(l.A == node ? l.B : l.A, l.RttMs, lossPct, 0)), Now);

    [Fact]
    public void A_slow_direct_link_loses_to_a_faster_two_hop_path()
    {
        var routes = Mesh(("r1", "r4", 300), ("r1", "r2", 40), ("r2", "r4", 40), ("r1", "r3", 100), ("r3", "r4", 100));

        var route = routes.TableOf("r1").RouteTo("r4")!;
        route.NextHop.Should().Be("r2");
        route.Path.Should().Equal("r2", "r4");
        route.CostMs.Should().Be(40);
        routes.TableOf("r2").RouteTo("r4")!.NextHop.Should().Be("r4", "the next hop's own table continues the path");
        routes.TableOf("r4").RouteTo("r1")!.Path.Should().Equal("r2", "r1");
    }

    [Fact]
    public void A_link_degrading_changes_the_route_and_the_versions()
    {
        (string, string, double)[] links = [("r1", "r4", 300), ("r1", "r2", 40), ("r2", "r4", 40), ("r1", "r3", 100), ("r3", "r4", 100)];
        var routes = Mesh(links);
        long version = routes.Version, r1Version = routes.TableOf("r1").Version;

        links[2] = ("r2", "r4", 400);
        Report(routes, "r2", links);
        Report(routes, "r4", links);
        routes.Recompute().Should().BeTrue();

        routes.TableOf("r1").RouteTo("r4")!.Path.Should().Equal("r3", "r4");
        routes.Version.Should().BeGreaterThan(version);
        routes.TableOf("r1").Version.Should().BeGreaterThan(r1Version);
    }

    [Fact]
    public void Loss_is_priced_so_a_lossy_short_link_loses_to_a_clean_longer_path()
    {
        var routes = new RouteComputation();
        foreach (string n in new[] { "a", "b", "c" })
            routes.AddNode(n);
        routes.ReportLinks("a", [new LinkProbe("c", 40, 5, 0), new LinkProbe("b", 30, 0, 0)], Now);
        routes.ReportLinks("b", [new LinkProbe("c", 30, 0, 0)], Now);
        routes.Recompute();

        // a->c: 20 ms + 5% * 10 ms = 70 ms; a->b->c: 15 + 15 = 30 ms.
        routes.TableOf("a").RouteTo("c")!.Path.Should().Equal("b", "c");
        RouteCosts.LinkCost(40, 5, 3).Should().Be(20 + 3 + 50);
    }

    [Fact]
    public void A_small_fluctuation_does_not_flap_the_route()
    {
        (string, string, double)[] links = [("r1", "r4", 100), ("r1", "r2", 44), ("r2", "r4", 44)];
        var routes = Mesh(links);
        routes.TableOf("r1").RouteTo("r4")!.NextHop.Should().Be("r2");
        long version = routes.Version;

        // The direct path is now 4 ms cheaper (50 vs 54 one-way): under the margin, the route stays.
        links[1] = ("r1", "r2", 52);
        links[2] = ("r2", "r4", 56);
        foreach (string n in new[] { "r1", "r2", "r4" })
            Report(routes, n, links);
        routes.Recompute().Should().BeFalse();
        routes.TableOf("r1").RouteTo("r4")!.NextHop.Should().Be("r2");
        routes.TableOf("r1").RouteTo("r4")!.CostMs.Should().Be(54, "costs are true ones even when the route is kept");
        routes.Version.Should().Be(version);

        // Without history the direct link wins: the margin is what kept the route.
        var fresh = Mesh(links);
        fresh.TableOf("r1").RouteTo("r4")!.NextHop.Should().Be("r4");

        // Far better (50 vs 80): the route moves.
        links[1] = ("r1", "r2", 80);
        links[2] = ("r2", "r4", 80);
        foreach (string n in new[] { "r1", "r2", "r4" })
            Report(routes, n, links);
        routes.Recompute().Should().BeTrue();
        routes.TableOf("r1").RouteTo("r4")!.NextHop.Should().Be("r4");
    }

    [Fact]
    public void A_node_leaving_removes_its_routes_and_the_paths_through_it()
    {
        var routes = Mesh(("r1", "r4", 300), ("r1", "r2", 40), ("r2", "r4", 40), ("r1", "r3", 100), ("r3", "r4", 100));

        routes.RemoveNode("r2").Should().BeTrue();
        routes.Recompute().Should().BeTrue();

        routes.Nodes.Should().NotContain("r2");
        routes.Snapshot().Tables.Select(t => t.Node).Should().NotContain("r2");
        routes.Links.Should().NotContain(l => l.From == "r2" || l.To == "r2");
        routes.Snapshot().Tables.SelectMany(t => t.Routes).Should().NotContain(r => r.Path.Contains("r2"));
        routes.TableOf("r1").RouteTo("r4")!.Path.Should().Equal("r3", "r4");
    }

    [Fact]
    public void A_new_node_enters_the_tables_once_it_reports_links()
    {
        (string, string, double)[] links = [("r1", "r2", 40), ("r2", "r3", 40)];
        var routes = Mesh(links);
        routes.TableOf("r1").RouteTo("r5").Should().BeNull();

        routes.AddNode("r5");
        routes.Recompute();
        routes.TableOf("r5").Routes.Should().BeEmpty("no links measured yet");

        (string, string, double)[] withNew = [.. links, ("r5", "r1", 10), ("r5", "r3", 10)];
        foreach (string n in new[] { "r1", "r3", "r5" })
            Report(routes, n, withNew);
        routes.Recompute().Should().BeTrue();

        routes.TableOf("r1").RouteTo("r3")!.Path.Should().Equal(["r5", "r3"], "the new node is a shortcut (10 ms vs 40 ms)");
        routes.TableOf("r5").Routes.Select(r => r.Destination).Should().BeEquivalentTo(["r1", "r2", "r3"]);
    }

    [Fact]
    public void Links_to_unknown_nodes_and_unusable_links_are_ignored()
    {
        var routes = new RouteComputation();
        routes.AddNode("a");
        routes.AddNode("b");
        routes.ReportLinks("a", [new LinkProbe("ghost", 1, 0, 0), new LinkProbe("b", 10, 60, 0), new LinkProbe("a", 1, 0, 0)], Now);
        routes.Recompute();

        routes.Links.Should().ContainSingle().Which.CostMs.Should().Be(double.PositiveInfinity);
        routes.TableOf("a").Routes.Should().BeEmpty();
    }

    [Fact]
    public void Stale_links_expire()
    {
        var routes = Mesh(("a", "b", 10));
        routes.ExpireLinks(Now.AddSeconds(1)).Should().Be(2);
        routes.Recompute().Should().BeTrue();
        routes.TableOf("a").Routes.Should().BeEmpty();
    }
}
