namespace Gateway.WebRtc;

/// <summary>Bounds on what one client may open through WHIP/WHEP (configuration section "Limits"; 0 = no limit).</summary>
public sealed class SessionLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Media sections (m= lines) one WHIP/WHEP offer may carry; a larger offer is refused before anything is allocated.</summary>
    public int TracksPerSession { get; set; } = 16;

    public int SessionsPerParticipant { get; set; } = 16;

    public int SessionsPerRoom { get; set; } = 1000;

    /// <summary>Open sessions per client address (as the gateway resolves it, see NodeSelection:TrustedProxies), across rooms.</summary>
    public int SessionsPerClientAddress { get; set; } = 64;

    /// <summary>
    /// Whether a non-admin token that names one room (not "*") creates that room with default options on its first
    /// WHIP offer. Non-admin wildcard tokens never create rooms: their offer to a missing room is a 404.
    /// </summary>
    public bool WhipCreatesNamedRoom { get; set; } = true;

    /// <summary>Retry-After of a 429 answer.</summary>
    public int RetryAfterSeconds { get; set; } = 5;
}
