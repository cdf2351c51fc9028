namespace MediaPlane.Demux;

/// <summary>What a datagram on the shared media port is, by <see cref="PacketClassifier"/>.</summary>
public enum PacketKind : byte
{
    Unknown = 0,
    Stun,
    Zrtp,
    Dtls,
    TurnChannel,
    Rtp,
    Rtcp,
    /// <summary>QUIC (RFC 9443); we do not speak it on the media port, but name it rather than guess.</summary>
    Quic,
    /// <summary>Our own SFU-to-SFU relay protocol, first byte 4-15 (see <see cref="PacketClassifier"/>).</summary>
    Relay,
}
