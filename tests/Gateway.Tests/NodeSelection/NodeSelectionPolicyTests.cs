using System.Net;
using Gateway.NodeSelection;
using Grains.Interfaces.Media;
using static Gateway.Tests.NodeSelection.RegionalNodePickerTests;

namespace Gateway.Tests.NodeSelection;

public sealed class NodeSelectionPolicyTests
{
    private static NodeSelectionOptions Options() => new()
    {
        TrustedProxies = ["127.0.0.1, ::1"],
        Regions = new() { ["eu"] = ["10.1.0.0/16"], ["us"] = ["10.2.0.0/16,10.20.0.0/16"], ["ap"] = ["10.3.0.0/16"] },
        Nearest = new() { ["eu"] = ["us", "ap"] },
    };

    [Fact]
    public void Options_become_one_policy_with_comma_separated_entries_split()
    {
        var policy = NodeSelectionPolicy.FromOptions(Options());
        policy.RegionOf(IPAddress.Parse("10.20.0.1")).Should().Be("us");
        policy.RegionOf(null).Should().BeNull();
        policy.Addresses.Resolve(IPAddress.IPv6Loopback, "10.3.0.1")!.ToString().Should().Be("10.3.0.1");

        MediaNodeInfo[] nodes = [Node("us1", "us", 4), Node("ap1", "ap", 0)];
        var choice = policy.Choose(nodes, IPAddress.Parse("10.1.9.9"))!;
        choice.Node.NodeId.Should().Be("us1");
        choice.Reason.Should().Be(SelectionReason.NearestRegion);
        choice.ClientRegion.Should().Be("eu");
        choice.ClientAddress.Should().Be(IPAddress.Parse("10.1.9.9"));
        policy.Choose([], IPAddress.Loopback).Should().BeNull();
    }

    [Fact]
    public void Defaults_trust_no_proxy_and_know_no_region()
    {
        var policy = NodeSelectionPolicy.FromOptions(new NodeSelectionOptions());
        policy.Addresses.Resolve(IPAddress.Loopback, "10.1.0.1").Should().Be(IPAddress.Loopback);
        policy.Choose([Node("a", "eu", 1), Node("b", "us", 0)], IPAddress.Parse("10.1.0.1"))!.Reason.Should().Be(SelectionReason.UnknownRegion);
    }

    [Fact]
    public void Bad_configuration_is_refused_naming_the_key()
    {
        var badProxy = Options();
        badProxy.TrustedProxies = ["127.0.0.1/40"];
        var act = () => NodeSelectionPolicy.FromOptions(badProxy);
        act.Should().Throw<InvalidOperationException>().WithMessage("*NodeSelection:TrustedProxies*127.0.0.1/40*");

        var badRegion = Options();
        badRegion.Regions["us"] = ["10.2.0.0/16", "ten.two"];
        act = () => NodeSelectionPolicy.FromOptions(badRegion);
        act.Should().Throw<InvalidOperationException>().WithMessage("*NodeSelection:Regions*us*ten.two*");

        var missingGeoIp = Options();
        missingGeoIp.GeoIpDatabase = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".mmdb");
        act = () => NodeSelectionPolicy.FromOptions(missingGeoIp);
        act.Should().Throw<InvalidOperationException>().WithMessage("*GeoIpDatabase*no-such-*");
    }

    [Fact]
    public void GeoIp_codes_map_country_first_then_continent()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["DE"] = "eu", ["continent:EU"] = "eu2", ["continent:AS"] = "ap", ["US"] = "us" };
        GeoIpRegionLookup.RegionFor("DE", "EU", map).Should().Be("eu");
        GeoIpRegionLookup.RegionFor("FR", "EU", map).Should().Be("eu2");
        GeoIpRegionLookup.RegionFor("AS", "OC", map).Should().BeNull("American Samoa (AS) is not Asia (continent:AS)");
        GeoIpRegionLookup.RegionFor("jp", "as", map).Should().Be("ap");
        GeoIpRegionLookup.RegionFor(null, null, map).Should().BeNull();
    }
}
