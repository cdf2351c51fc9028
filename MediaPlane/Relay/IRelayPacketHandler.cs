namespace MediaPlane.Relay;

/// <summary>Receives the relay port's packets that parsed, verified, are for this node and may still hop.</summary>
internal interface IRelayPacketHandler
{
    void OnRelayPacket(in RelayPacketReader packet, long nowTicks, Transport.UdpReceiveSocket? loop);
}
