using System.Net;
using Microsoft.Extensions.Primitives;

namespace Gateway.NodeSelection;

/// <summary>
/// The address of the client behind a request. The socket's peer is the client unless that peer is a
/// trusted proxy; then <c>X-Forwarded-For</c> is read from the right (each proxy appends the address it
/// saw) and the first address that is not itself a trusted proxy is the client. Addresses to the left of
/// it were written by the client or an untrusted hop and could be anything, so they are never used.
/// </summary>
public sealed class ClientAddressResolver(TrustedProxies trusted)
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    /// <summary>Longest header considered; a longer one is treated as unreadable (the peer is used).</summary>
    public const int MaxHeaderLength = 4096;

    public IPAddress? Resolve(HttpContext http) =>
        Resolve(http.Connection.RemoteIpAddress, http.Request.Headers[ForwardedForHeader]);

    /// <param name="peer">The socket's remote address (null for in-memory transports).</param>
    /// <param name="forwardedFor">Every X-Forwarded-For header line, in order.</param>
    public IPAddress? Resolve(IPAddress? peer, StringValues forwardedFor)
    {
        if (peer is null)
            return null;
        var current = IpNetwork.Normalize(peer);
        if (trusted.IsEmpty || !trusted.Contains(current) || StringValues.IsNullOrEmpty(forwardedFor))
            return current;

        // Several header lines are one comma-separated list (RFC 9110 §5.3); walk it right to left.
        for (int line = forwardedFor.Count - 1; line >= 0; line--)
        {
            string? text = forwardedFor[line];
            if (text is null || text.Length > MaxHeaderLength)
                return current;
            var rest = text.AsSpan();
            while (rest.Length > 0)
            {
                int comma = rest.LastIndexOf(',');
                var entry = (comma < 0 ? rest : rest[(comma + 1)..]).Trim();
                rest = comma < 0 ? [] : rest[..comma];
                if (entry.IsEmpty)
                    continue;
                if (!TryParseEntry(entry, out var hop))
                    return current; // "unknown", an obfuscated id or garbage: the trusted hop that wrote it is all we know.
                current = hop;
                if (!trusted.Contains(hop))
                    return hop;
            }
        }
        // Every hop is a trusted proxy: the left-most one is as close to the client as we can get.
        return current;
    }

    /// <summary>An address, optionally with a port ("192.0.2.1:4711", "[2001:db8::1]:4711") as some proxies write it.</summary>
    internal static bool TryParseEntry(ReadOnlySpan<char> entry, out IPAddress address)
    {
        if (entry.Length <= 64 && !entry.Contains('%'))
        {
            if (IPAddress.TryParse(entry, out var parsed) && (parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || entry.Count('.') == 3))
            {
                address = IpNetwork.Normalize(parsed);
                return true;
            }
            if (IPEndPoint.TryParse(entry, out var endpoint) && (entry[0] == '[' || entry.Count(':') == 1)
                && (endpoint.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || entry.Count('.') == 3))
            {
                address = IpNetwork.Normalize(endpoint.Address);
                return true;
            }
        }
        address = IPAddress.None;
        return false;
    }
}
