namespace Gateway.NodeSelection;

/// <summary>
/// Configuration section "NodeSelection". Every list entry may also hold several comma-separated values,
/// which keeps environment variables short (<c>NodeSelection__Regions__eu__0=10.1.0.0/16,2001:db8:1::/48</c>).
/// </summary>
public sealed class NodeSelectionOptions
{
    public const string Section = "NodeSelection";

    /// <summary>Peers (IPs or CIDRs) whose X-Forwarded-For is believed. Empty (default): the header is ignored.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Region → client networks (CIDRs) in that region. Empty (default): every client's region is unknown.</summary>
    public Dictionary<string, string[]> Regions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Region → other regions nearest first, tried when the region has no live node.</summary>
    public Dictionary<string, string[]> Nearest { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Optional MaxMind GeoIP2/GeoLite2 Country or City database file, asked when no CIDR entry matches.</summary>
    public string? GeoIpDatabase { get; set; }

    /// <summary>
    /// With <see cref="GeoIpDatabase"/>: ISO country code ("DE") or "continent:" and a continent code
    /// ("continent:EU", "continent:NA", "continent:AS") → region. A country entry wins over its continent's.
    /// </summary>
    public Dictionary<string, string> GeoIpRegions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Splits comma-separated entries and drops blanks.</summary>
    public static string[] Flatten(IEnumerable<string>? entries) =>
        entries is null ? [] : [.. entries.SelectMany(e => (e ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
