using System.Net;

namespace Gateway.NodeSelection;

/// <summary>The proxies and load balancers whose <c>X-Forwarded-For</c> the gateway believes (configuration: IPs or CIDRs).</summary>
public sealed class TrustedProxies
{
    private readonly IpNetwork[] _networks;

    public TrustedProxies(IEnumerable<IpNetwork> networks) => _networks = [.. networks];

    public static TrustedProxies None { get; } = new([]);

    /// <summary>Parses "127.0.0.1", "10.0.0.0/8", "::1"...; the error names the first bad entry.</summary>
    public static bool TryParse(IEnumerable<string> entries, out TrustedProxies proxies, out string error)
    {
        var networks = new List<IpNetwork>();
        foreach (string entry in entries)
        {
            if (!IpNetwork.TryParse(entry, out var network, out string why))
            {
                proxies = None;
                error = $"trusted proxy '{entry}': {why}";
                return false;
            }
            networks.Add(network);
        }
        proxies = new TrustedProxies(networks);
        error = "";
        return true;
    }

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IPAddress address)
    {
        foreach (var network in _networks)
            if (network.Contains(address))
                return true;
        return false;
    }
}
