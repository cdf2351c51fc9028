namespace Gateway.Auth;

/// <summary>
/// The deployment's API key and secret (configuration section "Auth"). Tokens are HS256 JWTs whose
/// <c>iss</c> is the key, signed with the secret. The development pair below is for the embedded default
/// only and is printed at start-up; set Auth__ApiKey and Auth__ApiSecret in any real deployment.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";
    public const string DevelopmentKey = "devkey";
    public const string DevelopmentSecret = "devsecret-change-me-0123456789abcdef0123456789";

    public string ApiKey { get; set; } = DevelopmentKey;

    /// <summary>At least 32 bytes (HS256 needs a 256-bit key).</summary>
    public string ApiSecret { get; set; } = DevelopmentSecret;

    public bool IsDevelopmentPair => ApiKey == DevelopmentKey && ApiSecret == DevelopmentSecret;
}
