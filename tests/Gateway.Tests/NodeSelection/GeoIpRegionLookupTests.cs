using System.Net;
using Gateway.NodeSelection;

namespace Gateway.Tests.NodeSelection;

public sealed class GeoIpRegionLookupTests : IDisposable
{
    private static readonly (string, string, string)[] Networks =
    [
        ("10.1.0.0/16", "DE", "EU"),
        ("10.5.0.0/16", "FR", "EU"),
        ("10.2.0.0/16", "US", "NA"),
        ("203.0.113.0/24", "JP", "AS"),
    ];

    private static readonly Dictionary<string, string> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DE"] = "eu-central",
        ["continent:EU"] = "eu",
        ["continent:NA"] = "us",
        ["continent:AS"] = "ap",
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("geoip-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Database(string type)
    {
        string path = Path.Combine(_directory, type + ".mmdb");
        TestMmdb.Write(path, type, Networks);
        return path;
    }

    [Theory]
    [InlineData("GeoLite2-Country")]
    [InlineData("GeoIP2-City")]
    public void A_country_or_city_database_gives_the_region_by_country_then_continent(string type)
    {
        using var lookup = GeoIpRegionLookup.Open(Database(type), Map);
        lookup.RegionOf(IPAddress.Parse("10.1.2.3")).Should().Be("eu-central", "DE is mapped itself");
        lookup.RegionOf(IPAddress.Parse("10.5.0.1")).Should().Be("eu", "FR is not, its continent is");
        lookup.RegionOf(IPAddress.Parse("10.2.200.1")).Should().Be("us");
        lookup.RegionOf(IPAddress.Parse("203.0.113.77")).Should().Be("ap");
        lookup.RegionOf(IPAddress.Parse("::ffff:10.2.0.1")).Should().Be("us");
        lookup.RegionOf(IPAddress.Parse("10.3.0.1")).Should().BeNull("not in the database");
        lookup.RegionOf(IPAddress.Parse("2001:db8::1")).Should().BeNull("an IPv4 database knows no IPv6 client");
    }

    [Fact]
    public void The_cidr_table_is_asked_first_and_geoip_only_when_it_knows_nothing()
    {
        var policy = NodeSelectionPolicy.FromOptions(new NodeSelectionOptions
        {
            Regions = new() { ["ap"] = ["10.1.0.0/24"] },
            GeoIpDatabase = Database("GeoLite2-Country"),
            GeoIpRegions = Map,
        });
        policy.RegionOf(IPAddress.Parse("10.1.0.5")).Should().Be("ap");
        policy.RegionOf(IPAddress.Parse("10.1.1.5")).Should().Be("eu-central");
        policy.RegionOf(IPAddress.Parse("192.0.2.1")).Should().BeNull();
        (policy.Regions as IDisposable)?.Dispose();
    }

    [Fact]
    public void A_file_that_is_not_a_database_stops_start_up_with_its_path()
    {
        string path = Path.Combine(_directory, "garbage.mmdb");
        File.WriteAllBytes(path, new byte[1000]);
        var open = () => GeoIpRegionLookup.Open(path, Map);
        open.Should().Throw<InvalidOperationException>().WithMessage($"*{path}*");
    }
}
