using System.Net;
using MaxMind.GeoIP2;

namespace Gateway.NodeSelection;

/// <summary>
/// Region by a MaxMind GeoIP2/GeoLite2 database (Country or City edition, <c>NodeSelection:GeoIpDatabase</c>):
/// the client's ISO country code, else its continent code, through <c>NodeSelection:GeoIpRegions</c>.
/// The file is memory-mapped once; lookups do not touch the disk.
/// </summary>
public sealed class GeoIpRegionLookup : IRegionLookup, IDisposable
{
    private readonly DatabaseReader _reader;
    private readonly bool _city;
    private readonly IReadOnlyDictionary<string, string> _regions;

    private GeoIpRegionLookup(DatabaseReader reader, IReadOnlyDictionary<string, string> regions)
    {
        _reader = reader;
        _city = reader.Metadata.DatabaseType.Contains("City", StringComparison.OrdinalIgnoreCase);
        _regions = new Dictionary<string, string>(regions, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Opens the database; a missing or unreadable file stops the gateway at start-up with its path in the message.</summary>
    public static GeoIpRegionLookup Open(string path, IReadOnlyDictionary<string, string> regions)
    {
        try
        {
            return new GeoIpRegionLookup(new DatabaseReader(path, MaxMind.Db.FileAccessMode.MemoryMapped), regions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MaxMind.Db.InvalidDatabaseException)
        {
            throw new InvalidOperationException($"{NodeSelectionOptions.Section}:GeoIpDatabase '{path}' cannot be read: {e.Message}", e);
        }
    }

    public string? RegionOf(IPAddress address)
    {
        address = IpNetwork.Normalize(address);
        try
        {
            if (_city)
                return _reader.TryCity(address, out var city) && city is not null ? RegionFor(city.Country.IsoCode, city.Continent.Code, _regions) : null;
            return _reader.TryCountry(address, out var country) && country is not null ? RegionFor(country.Country.IsoCode, country.Continent.Code, _regions) : null;
        }
        catch (Exception e) when (e is MaxMind.Db.InvalidDatabaseException or ArgumentException)
        {
            // A damaged record, or an IPv6 client asked of an IPv4-only database: the region is unknown.
            return null;
        }
    }

    /// <summary>Prefix of continent keys: continent and country codes overlap ("AS" is Asia and American Samoa).</summary>
    public const string ContinentPrefix = "continent:";

    /// <summary>The region of a country (ISO 3166-1 alpha-2), else of its continent code; null when neither is mapped.</summary>
    public static string? RegionFor(string? country, string? continent, IReadOnlyDictionary<string, string> regions)
    {
        if (country is not null && regions.TryGetValue(country, out string? byCountry))
            return byCountry;
        if (continent is not null && regions.TryGetValue(ContinentPrefix + continent, out string? byContinent))
            return byContinent;
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
