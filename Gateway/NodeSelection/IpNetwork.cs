using System.Net;
using System.Net.Sockets;

namespace Gateway.NodeSelection;

/// <summary>
/// An IPv4 or IPv6 network in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3): "10.1.0.0/16", "2001:db8::/32",
/// or a single address ("192.0.2.7" = /32, "::1" = /128). IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are
/// matched as the IPv4 address they carry, so a dual-stack socket's peer matches an IPv4 table.
/// </summary>
public readonly record struct IpNetwork
{
    private readonly byte[] _prefix;

    private IpNetwork(byte[] prefix, int prefixLength)
    {
        _prefix = prefix;
        PrefixLength = prefixLength;
    }

    /// <summary>Number of leading bits that must match.</summary>
    public int PrefixLength { get; }

    public AddressFamily Family => _prefix.Length == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    /// <summary>Parses CIDR text. Host bits set below the prefix ("10.1.2.3/16") are refused as a likely typo.</summary>
    public static bool TryParse(string? text, out IpNetwork network, out string error)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty network";
            return false;
        }
        var span = text.AsSpan().Trim();
        int slash = span.IndexOf('/');
        var addressText = slash < 0 ? span : span[..slash];
        // IPAddress.TryParse also takes forms such as "10" or "1.2.3" and scope ids; require the plain ones.
        if (addressText.Contains('%') || !IPAddress.TryParse(addressText, out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count('.') != 3))
        {
            error = $"'{addressText}' is not an IPv4 or IPv6 address";
            return false;
        }
        byte[] bytes = Normalize(address).GetAddressBytes();
        int maxBits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int length = bytes.Length * 8;
        if (slash >= 0)
        {
            var lengthText = span[(slash + 1)..];
            if (lengthText.IsEmpty || lengthText.Length > 3 || lengthText.ContainsAnyExceptInRange('0', '9')
                || !int.TryParse(lengthText, out length) || length > maxBits)
            {
                error = $"'{lengthText}' is not a prefix length between 0 and {maxBits}";
                return false;
            }
            // A mapped IPv6 network written as ::ffff:10.0.0.0/104 becomes the IPv4 network 10.0.0.0/8.
            if (address.IsIPv4MappedToIPv6)
            {
                if (length < 96)
                {
                    error = $"IPv4-mapped network '{span}' must have a prefix of at least 96 bits";
                    return false;
                }
                length -= 96;
            }
        }
        if (!HostBitsClear(bytes, length))
        {
            error = $"'{span}' has bits set after the /{length} prefix";
            return false;
        }
        network = new IpNetwork(bytes, length);
        error = "";
        return true;
    }

    public static IpNetwork Parse(string text) =>
        TryParse(text, out var network, out string error) ? network : throw new FormatException(error);

    /// <summary>Whether <paramref name="address"/> lies in this network (always false across address families).</summary>
    public bool Contains(IPAddress address)
    {
        if (_prefix is null)
            return false;
        var normalized = Normalize(address);
        int size = normalized.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        if (size != _prefix.Length)
            return false;
        Span<byte> bytes = stackalloc byte[16];
        normalized.TryWriteBytes(bytes, out _);
        int whole = PrefixLength / 8;
        if (!bytes[..whole].SequenceEqual(_prefix.AsSpan(0, whole)))
            return false;
        int rest = PrefixLength % 8;
        if (rest == 0)
            return true;
        byte mask = (byte)(0xFF << (8 - rest));
        return (bytes[whole] & mask) == (_prefix[whole] & mask);
    }

    /// <summary>IPv4-mapped IPv6 addresses become plain IPv4; the scope id of link-local IPv6 is dropped.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
        : address;

    public override string ToString() => _prefix is null ? "" : $"{new IPAddress(_prefix)}/{PrefixLength}";

    public bool Equals(IpNetwork other) =>
        PrefixLength == other.PrefixLength && (_prefix ?? []).AsSpan().SequenceEqual(other._prefix ?? []);

    public override int GetHashCode() => HashCode.Combine(ToString());

    private static bool HostBitsClear(byte[] bytes, int prefixLength)
    {
        for (int bit = prefixLength; bit < bytes.Length * 8; bit++)
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                return false;
        return true;
    }
}
