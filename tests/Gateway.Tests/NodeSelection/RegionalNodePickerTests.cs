using Gateway.NodeSelection;
using Grains.Interfaces.Media;

namespace Gateway.Tests.NodeSelection;

public sealed class RegionalNodePickerTests
{
    internal static MediaNodeInfo Node(string id, string region, int sessions = 0, double cpu = 0, double pps = 0) =>
        new(id, region, "127.0.0.1", 7882, sessions, pps, cpu, DateTimeOffset.UtcNow);

    private static readonly RegionalNodePicker Picker = new(new NearestRegions(new Dictionary<string, string[]>
    {
        ["eu"] = ["us", "ap"],
        ["ap"] = ["us", "eu"],
        ["us"] = ["eu", "ap"],
    }));

    [Fact]
    public void The_least_loaded_node_of_the_clients_region_is_chosen()
    {
        MediaNodeInfo[] nodes = [Node("eu1", "eu", 5), Node("eu2", "eu", 2), Node("us1", "us", 0)];
        Picker.Pick(nodes, "eu").Should().Be((nodes[1], SelectionReason.RegionMatch));
        Picker.Pick(nodes, "EU")!.Value.Node.Should().Be(nodes[1], "region labels compare without case");
    }

    [Fact]
    public void Without_a_node_in_the_region_the_nearest_region_with_one_serves()
    {
        MediaNodeInfo[] nodes = [Node("ap1", "ap", 0), Node("us1", "us", 9), Node("us2", "us", 3)];
        Picker.Pick(nodes, "eu").Should().Be((nodes[2], SelectionReason.NearestRegion), "us is eu's nearest neighbour, even if busier than ap");
        var onlyAp = Node("ap1", "ap", 7);
        Picker.Pick([onlyAp], "eu").Should().Be((onlyAp, SelectionReason.NearestRegion), "then the next neighbour");
    }

    [Fact]
    public void Without_a_node_near_the_region_the_least_loaded_anywhere_serves()
    {
        var picker = new RegionalNodePicker(NearestRegions.None);
        MediaNodeInfo[] nodes = [Node("us1", "us", 4), Node("ap1", "ap", 1)];
        picker.Pick(nodes, "eu").Should().Be((nodes[1], SelectionReason.AnyNode));
        Picker.Pick(nodes, "mars").Should().Be((nodes[1], SelectionReason.AnyNode), "a region without neighbours falls back to any node");
    }

    [Fact]
    public void An_unknown_client_region_gets_the_least_loaded_node_overall()
    {
        MediaNodeInfo[] nodes = [Node("eu1", "eu", 3), Node("us1", "us", 1), Node("ap1", "ap", 2)];
        Picker.Pick(nodes, null).Should().Be((nodes[1], SelectionReason.UnknownRegion));
    }

    [Fact]
    public void No_nodes_means_no_choice() => Picker.Pick([], "eu").Should().BeNull();

    [Fact]
    public void Neighbour_order_lists_the_region_first_without_repeats()
    {
        var nearest = new NearestRegions(new Dictionary<string, string[]> { ["eu"] = ["us", "eu", "", "us", "ap"] });
        nearest.InOrder("eu").Should().Equal("eu", "us", "ap");
        nearest.InOrder("ap").Should().Equal("ap");
    }
}
