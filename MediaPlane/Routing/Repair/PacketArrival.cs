namespace MediaPlane.Routing.Repair;

/// <summary>What one packet of a publisher's stream was to the <see cref="NackTracker"/>.</summary>
public enum PacketArrival
{
    /// <summary>Newer than every packet before it (a gap before it, if any, is now missing).</summary>
    New,
    /// <summary>A packet the tracker was missing: late, or retransmitted after a NACK.</summary>
    Recovered,
    /// <summary>Not newer and not missing: a duplicate, or one given up on already.</summary>
    Old,
}
