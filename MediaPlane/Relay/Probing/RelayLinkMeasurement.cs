namespace MediaPlane.Relay.Probing;

/// <summary>One directed link from this node, as its probes measured it (what the control plane routes on).</summary>
/// <param name="To">The peer's node id.</param>
public readonly record struct RelayLinkMeasurement(string To, double RttMs, double LossPct, double JitterMs);
