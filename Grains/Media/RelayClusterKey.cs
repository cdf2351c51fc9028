using MediaPlane.Relay;
using Microsoft.Extensions.Configuration;

namespace Grains.Media;

/// <summary>
/// The relay cluster key setting ("Relay:ClusterKey": base64, at least 16 bytes). Every silo-to-silo relay packet is
/// authenticated (v1) or encrypted (v2, per-link keys derived from it), so a cluster reachable by others must hold a
/// secret one: the cluster profiles refuse to start without it; only the embedded profile derives a public one.
/// </summary>
public static class RelayClusterKey
{
    public const string Setting = "Relay:ClusterKey";

    /// <summary>The decoded key, or a message naming the setting that is wrong.</summary>
    public static byte[] Parse(string value)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{Setting} must be base64 (for instance `head -c 32 /dev/urandom | base64`).", e);
        }
        if (key.Length < RelayAuthenticator.MinimumKeyLength)
            throw new InvalidOperationException($"{Setting} must decode to at least {RelayAuthenticator.MinimumKeyLength} bytes.");
        return key;
    }

    /// <summary>On a cluster profile: throws, naming the setting, when the key is missing or invalid.</summary>
    public static void RequireForProfile(IConfiguration configuration, string profile)
    {
        string? value = configuration[Setting];
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"The {profile} profile needs a relay cluster key: set {Setting} (environment Relay__ClusterKey) to a random base64 " +
                $"key of at least {RelayAuthenticator.MinimumKeyLength} bytes, the same on every silo of the cluster (scripts/cluster.sh makes one).");
        Parse(value);
    }
}
