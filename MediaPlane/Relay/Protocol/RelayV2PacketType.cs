namespace MediaPlane.Relay.Protocol;

/// <summary>What a relay v2 packet carries (byte 1 of the header, see <see cref="RelayV2Packet"/>).</summary>
public enum RelayV2PacketType : byte
{
    /// <summary>One plain RTP packet of the stream (after the publisher's SRTP was removed).</summary>
    Media = 1,

    /// <summary>Plain RTCP about the stream (PLI, FIR, sender reports), either direction.</summary>
    Rtcp = 2,

    /// <summary>Link probe: the payload is the prober's echo data; the header's timestamp is its send time.</summary>
    Probe = 3,

    /// <summary>Answer to a probe: the payload echoes the probe's sequence number and timestamp.</summary>
    ProbeReply = 4,

    /// <summary>Retransmission request to the previous hop: per-link sequence numbers it should resend.</summary>
    Nack = 5,

    /// <summary>Forward error correction (parity) over earlier packets of the same link.</summary>
    Fec = 6,

    /// <summary>Relay control (start/stop pushing a stream, keepalive, stream ended).</summary>
    Control = 7,
}
