namespace MediaPlane.Relay.Protocol;

/// <summary>The one-byte payload of a relay v2 control packet (type 7), about the header's stream.</summary>
public enum RelayV2ControlCode : byte
{
    /// <summary>Origin to destination: the stream is still exported (the publisher may be silent). Destination to
    /// origin: this node still wants the stream.</summary>
    Keepalive = 1,
    /// <summary>Origin to destination: the stream ended; drop the import now.</summary>
    StreamEnded = 2,
}
