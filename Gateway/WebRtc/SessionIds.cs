using System.Security.Cryptography;

namespace Gateway.WebRtc;

/// <summary>Session ids and entity tags: random, URL-safe, unguessable (they name resources clients may DELETE).</summary>
internal static class SessionIds
{
    public static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string NewETag() => $"\"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}\"";

    public static uint NewSsrc() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
