using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Protocol;

namespace MediaPlane.Relay;

/// <summary>Receives the relay port's packets that parsed, verified, are for this node and may still hop.</summary>
internal interface IRelayPacketHandler
{
    void OnRelayPacket(in RelayPacketReader packet, long nowTicks, Transport.UdpReceiveSocket? loop);

    /// <summary>A relay v2 packet from a known peer (the previous hop), opened in place in <paramref name="datagram"/>:
    /// <paramref name="packet"/> reads it, its payload in plain text.</summary>
    void OnRelayV2Packet(RelayPeer from, Span<byte> datagram, in RelayV2Packet packet, long nowTicks, Transport.UdpReceiveSocket loop);
}
