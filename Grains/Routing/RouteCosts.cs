namespace Grains.Routing;

/// <summary>
/// The cost of a link and the hysteresis margin, in milliseconds of one-way delay. Loss is priced as delay because
/// every lost packet costs a repair (FEC overhead or a NACK round trip) or a visible gap: 1% loss weighs like 10 ms.
/// </summary>
public static class RouteCosts
{
    public const double LossPenaltyMsPerPct = 10;

    /// <summary>A link at or above this loss is not used at all.</summary>
    public const double UnusableLossPct = 50;

    /// <summary>A new path must beat the current one by this fraction of the current link's cost...</summary>
    public const double HysteresisFraction = 0.15;

    /// <summary>...and by at least this much, per link of the current path.</summary>
    public const double HysteresisMinMs = 10;

    /// <summary>rttMs / 2 + jitterMs + 10 ms per percent of loss; infinity for an unusable link.</summary>
    public static double LinkCost(double rttMs, double lossPct, double jitterMs)
    {
        if (!double.IsFinite(rttMs) || !double.IsFinite(lossPct) || !double.IsFinite(jitterMs) || lossPct >= UnusableLossPct)
            return double.PositiveInfinity;
        return Math.Max(0, rttMs) / 2 + Math.Max(0, jitterMs) + Math.Max(0, lossPct) * LossPenaltyMsPerPct;
    }

    /// <summary>What a link of the current route is discounted by when routes are recomputed.</summary>
    public static double Incumbency(double cost) => Math.Max(HysteresisMinMs, cost * HysteresisFraction);
}
