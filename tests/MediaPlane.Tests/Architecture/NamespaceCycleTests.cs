using MediaPlane.WebRtc;

namespace MediaPlane.Tests.Architecture;

/// <summary>
/// Issue 19: MediaPlane's concepts, its top folders (protocols, Transport, Contracts, Routing, RTCP termination,
/// Relay, WebRtc at the top), form layers: no folder depends on itself through others. A folder's own
/// sub-namespaces count as the folder (Relay.Peers, Relay.Probing and Relay.Routes use each other and Relay today).
/// </summary>
public sealed class NamespaceCycleTests
{
    private static NamespaceDependencies MediaPlaneGraph() =>
        NamespaceDependencies.Read(typeof(WebRtcServer).Assembly.Location, "MediaPlane", TopFolder);

    // "MediaPlane.Relay.Probing" -> "MediaPlane.Relay"
    private static string TopFolder(string ns) => string.Join('.', ns.Split('.').Take(2));

    [Fact]
    public void No_namespace_of_MediaPlane_depends_on_itself_through_others()
    {
        var graph = MediaPlaneGraph();

        var cycles = graph.Cycles();

        cycles.Should().BeEmpty("namespace cycles found:\n" + string.Join("\n",
            cycles.Select(cycle => string.Join(" <-> ", cycle) + ":\n  " + string.Join("\n  ", graph.Explain(cycle)))));
    }

    [Fact]
    public void The_reader_sees_the_dependencies_the_layers_are_made_of()
    {
        var edges = MediaPlaneGraph().Edges;

        // The composition root uses the router; the router uses the data contracts and ICE; nothing
        // is found in the other direction.
        edges["MediaPlane.WebRtc"].Keys.Should().Contain(["MediaPlane.Routing", "MediaPlane.RtcpTermination", "MediaPlane.Relay", "MediaPlane.Contracts"]);
        edges["MediaPlane.Routing"].Keys.Should().Contain(["MediaPlane.Contracts", "MediaPlane.Ice", "MediaPlane.Transport"]);
        edges["MediaPlane.Routing"].Keys.Should().NotContain(["MediaPlane.WebRtc", "MediaPlane.Relay", "MediaPlane.RtcpTermination"]);
        edges.Should().NotContainKey("MediaPlane.Transport", "Transport is the bottom layer: sockets and loops");
    }

    [Fact]
    public void A_cycle_is_found_however_long_it_is()
    {
        var graph = NamespaceDependencies.FromEdges(
            ("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "E"), ("E", "D"), ("F", "A"));

        graph.Cycles().Should().BeEquivalentTo(new[] { new[] { "A", "B", "C" }, new[] { "D", "E" } });
        NamespaceDependencies.FromEdges(("A", "B"), ("B", "C"), ("A", "C")).Cycles().Should().BeEmpty();
    }
}
