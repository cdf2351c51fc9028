using System.Threading.RateLimiting;

namespace Gateway.RateLimits;

/// <summary>
/// Configuration section "RateLimits": token buckets on the WHIP, WHEP and REST (/v1) requests of this gateway, one
/// per token identity and one per client address; a request must get a permit from both or is answered 429.
/// </summary>
public sealed class ClientRateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off only where something else limits (the control-plane benchmark measures the cluster, not this).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Per token identity (<c>sub</c>): 200 at once, then 100 a second.</summary>
    public BucketOptions PerIdentity { get; set; } = new() { PermitLimit = 200, TokensPerPeriod = 100 };

    /// <summary>Per client address (as node selection resolves it behind trusted proxies): 1000 at once, then 500 a second.</summary>
    public BucketOptions PerAddress { get; set; } = new() { PermitLimit = 1000, TokensPerPeriod = 500 };

    public sealed class BucketOptions
    {
        /// <summary>Requests allowed in a burst (the bucket's size).</summary>
        public int PermitLimit { get; set; }

        /// <summary>Requests added back every <see cref="ReplenishmentPeriod"/>.</summary>
        public int TokensPerPeriod { get; set; }

        public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

        public TokenBucketRateLimiterOptions ToLimiterOptions() => new()
        {
            TokenLimit = PermitLimit,
            TokensPerPeriod = TokensPerPeriod,
            ReplenishmentPeriod = ReplenishmentPeriod,
            AutoReplenishment = true,
            // Refused at once, never queued: a queue would hold the connection and grow with the flood.
            QueueLimit = 0,
        };

        public bool IsValid => PermitLimit > 0 && TokensPerPeriod > 0 && ReplenishmentPeriod > TimeSpan.Zero;
    }
}
