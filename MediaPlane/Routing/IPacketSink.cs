namespace MediaPlane.Routing;

/// <summary>
/// Somewhere besides its consumers that a producer hands each plain RTP packet to, on its receive loop
/// (a relay sink towards another node). Lets Routing feed Relay without depending on it.
/// </summary>
internal interface IPacketSink
{
    void Forward(ReadOnlySpan<byte> packet);
}

/// <summary>Where a producer without a local publisher gets its packets from (a relay source, another node).</summary>
internal interface IProducerSource
{
    /// <summary>The node the packets come from.</summary>
    string SourceNodeId { get; }
}
