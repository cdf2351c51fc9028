namespace Gateway.Observability;

/// <summary>Section "Metrics": the Prometheus scrape endpoint (README "Metrics").</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve the scrape endpoint at all. Default true: it costs nothing until scraped.</summary>
    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// Require an admin token (<c>Authorization: Bearer ...</c>) to scrape. Default false: the endpoint listens where
    /// the gateway does (loopback unless configured otherwise) and its labels carry no room, identity or address.
    /// </summary>
    public bool RequireAdmin { get; set; }
}
