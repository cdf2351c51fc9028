using Gateway.NodeSelection;
using static Gateway.Tests.NodeSelection.RegionalNodePickerTests;

namespace Gateway.Tests.NodeSelection;

public sealed class LeastLoadedTests
{
    [Fact]
    public void Sessions_decide_first_then_cpu_then_packets_then_the_node_id()
    {
        LeastLoaded.Pick([Node("a", "eu", sessions: 3, cpu: 0.01), Node("b", "eu", sessions: 2, cpu: 0.9)])!.NodeId.Should().Be("b");
        LeastLoaded.Pick([Node("a", "eu", 2, cpu: 0.5), Node("b", "eu", 2, cpu: 0.2)])!.NodeId.Should().Be("b");
        LeastLoaded.Pick([Node("a", "eu", 2, 0.2, pps: 900), Node("b", "eu", 2, 0.2, pps: 100)])!.NodeId.Should().Be("b");
        LeastLoaded.Pick([Node("b", "eu", 2, 0.2, 100), Node("a", "eu", 2, 0.2, 100)])!.NodeId.Should().Be("a", "ties go to the lowest id on every gateway");
    }

    [Fact]
    public void No_nodes_give_null_and_nulls_sort_last()
    {
        LeastLoaded.Pick([]).Should().BeNull();
        var node = Node("a", "eu");
        LeastLoaded.Instance.Compare(node, null).Should().BeNegative();
        LeastLoaded.Instance.Compare(null, node).Should().BePositive();
        LeastLoaded.Instance.Compare(node, node).Should().Be(0);
    }
}
