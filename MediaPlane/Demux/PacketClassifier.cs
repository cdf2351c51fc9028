namespace MediaPlane.Demux;

/// <summary>
/// First-byte demultiplexing of one UDP port, RFC 7983 §7 as updated by RFC 9443 §3, written once:
/// <code>
///                 +----------------+
///                 |        [0..3] -+--> STUN           (RFC 8489: top two bits 00, type &lt; 0x400)
///                 |       [4..15] -+--> Relay          (ours, see below)
///                 |      [16..19] -+--> ZRTP           (RFC 6189)
///     packet -->  |      [20..63] -+--> DTLS           (RFC 9147 content types 20-63)
///                 |      [64..79] -+--> TURN channel   (RFC 8656 channel numbers 0x4000-0x4FFF)
///                 |     [80..127] -+--> QUIC           (RFC 9443; short header, fixed bit 0x40 set)
///                 |    [128..191] -+--> RTP / RTCP     (version 2); RTCP when the second byte is
///                 |                |                    192-223 (RFC 5761 §4: PT 64-95 with M=1)
///                 |    [192..255] -+--> QUIC           (RFC 9443; long header)
///                 +----------------+
/// </code>
/// RFC 9443 lets QUIC share the port provided it does not grease the fixed bit (RFC 9287), so every
/// QUIC first byte has 0x40 set: 64-127 and 192-255, of which 64-79 stay TURN's. That leaves 4-15 as
/// the only range no protocol claims, and our relay protocol takes it: a relay datagram's first
/// byte is 4-15 (its low nibble is free for the relay's own version or packet kind). Relay traffic
/// only flows between our own servers, so no standard peer ever sends these bytes to us.
/// </summary>
public static class PacketClassifier
{
    public const byte RelayFirstByteMin = 4;
    public const byte RelayFirstByteMax = 15;

    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
            return PacketKind.Unknown;
        byte first = datagram[0];
        return first switch
        {
            <= 3 => PacketKind.Stun,
            <= RelayFirstByteMax => PacketKind.Relay,
            <= 19 => PacketKind.Zrtp,
            <= 63 => PacketKind.Dtls,
            <= 79 => PacketKind.TurnChannel,
            <= 127 => PacketKind.Quic,
            <= 191 => datagram.Length < 2 ? PacketKind.Unknown
                : datagram[1] is >= 192 and <= 223 ? PacketKind.Rtcp : PacketKind.Rtp,
            _ => PacketKind.Quic,
        };
    }
}
