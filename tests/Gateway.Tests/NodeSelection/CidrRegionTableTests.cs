using System.Net;
using Gateway.NodeSelection;

namespace Gateway.Tests.NodeSelection;

public sealed class CidrRegionTableTests
{
    private static CidrRegionTable Table(Dictionary<string, string[]> regions)
    {
        CidrRegionTable.TryCreate(regions, out var table, out string error).Should().BeTrue(error);
        return table;
    }

    private static readonly CidrRegionTable Sample = Table(new()
    {
        ["eu"] = ["10.1.0.0/16", "2001:db8:1::/48"],
        ["us"] = ["10.2.0.0/16", "10.0.0.0/8"],
        ["ap"] = ["10.3.0.0/16", "10.3.7.0/24"],
        ["ap-south"] = ["10.3.8.0/24"],
    });

    [Theory]
    [InlineData("10.1.2.3", "eu")]
    [InlineData("::ffff:10.1.2.3", "eu")]
    [InlineData("2001:db8:1:5::9", "eu")]
    [InlineData("10.2.3.4", "us")]
    [InlineData("10.77.0.1", "us")]
    [InlineData("10.3.7.9", "ap")]
    [InlineData("10.3.8.9", "ap-south")]
    public void The_most_specific_network_gives_the_region(string address, string region) =>
        Sample.RegionOf(IPAddress.Parse(address)).Should().Be(region);

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8:2::1")]
    [InlineData("127.0.0.1")]
    public void An_address_in_no_network_has_no_region(string address) =>
        Sample.RegionOf(IPAddress.Parse(address)).Should().BeNull();

    [Fact]
    public void An_empty_table_knows_no_region()
    {
        CidrRegionTable.Empty.RegionOf(IPAddress.Parse("10.1.2.3")).Should().BeNull();
        Table([]).Count.Should().Be(0);
        Sample.Count.Should().Be(7);
    }

    [Fact]
    public void Bad_entries_are_refused_naming_the_region_and_the_entry()
    {
        CidrRegionTable.TryCreate(new Dictionary<string, string[]> { ["eu"] = ["10.1.0.0/16"], ["us"] = ["10.2.0.0/33"] }, out _, out string error).Should().BeFalse();
        error.Should().Contain("us").And.Contain("33");
        CidrRegionTable.TryCreate(new Dictionary<string, string[]> { ["eu"] = ["10.1.0.0/16"], ["us"] = ["10.1.0.0/16"] }, out _, out error).Should().BeFalse();
        error.Should().Contain("10.1.0.0/16").And.Contain("eu").And.Contain("us");
        CidrRegionTable.TryCreate(new Dictionary<string, string[]> { [" "] = ["10.1.0.0/16"] }, out _, out error).Should().BeFalse();
        error.Should().Contain("empty");
    }
}
