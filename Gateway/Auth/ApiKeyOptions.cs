using System.Text;

namespace Gateway.Auth;

/// <summary>
/// The deployment's API key and secret (configuration section "Auth"). Tokens are HS256 JWTs whose
/// <c>iss</c> is the key, signed with the secret. The development pair below is for the embedded default
/// only and is printed at start-up; the cluster profiles refuse to start with it (<see cref="DeploymentProblem"/>).
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";
    public const string DevelopmentKey = "devkey";
    public const string DevelopmentSecret = "devsecret-change-me-0123456789abcdef0123456789";

    /// <summary>HS256 needs a 256-bit key (RFC 7518 section 3.2): the secret's UTF-8 bytes.</summary>
    public const int MinimumSecretBytes = 32;

    public string ApiKey { get; set; } = DevelopmentKey;

    /// <summary>At least <see cref="MinimumSecretBytes"/> bytes.</summary>
    public string ApiSecret { get; set; } = DevelopmentSecret;

    public bool IsDevelopmentPair => ApiKey == DevelopmentKey && ApiSecret == DevelopmentSecret;

    /// <summary>
    /// Why this pair must not run a deployment that others can reach (a cluster profile), naming the setting
    /// to set; null when it may. The development key or secret is in the public source, so either alone is refused.
    /// </summary>
    public string? DeploymentProblem(string profile)
    {
        if (string.IsNullOrWhiteSpace(ApiKey) || ApiKey == DevelopmentKey)
            return $"The {profile} profile refuses the development API key: set {Section}:ApiKey (environment Auth__ApiKey) to this deployment's own key.";
        if (ApiSecret == DevelopmentSecret)
            return $"The {profile} profile refuses the development API secret: set {Section}:ApiSecret (environment Auth__ApiSecret) to a random secret of at least {MinimumSecretBytes} bytes.";
        if (Encoding.UTF8.GetByteCount(ApiSecret ?? "") < MinimumSecretBytes)
            return $"{Section}:ApiSecret (environment Auth__ApiSecret) must be at least {MinimumSecretBytes} bytes on the {profile} profile.";
        return null;
    }

    /// <summary>Reads the section and throws when <see cref="DeploymentProblem"/> finds one.</summary>
    public static void RequireDeploymentPair(IConfiguration configuration, string profile)
    {
        var keys = new ApiKeyOptions();
        configuration.GetSection(Section).Bind(keys);
        if (keys.DeploymentProblem(profile) is { } problem)
            throw new InvalidOperationException(problem);
    }
}
