using MediaPlane.Rtp;

namespace Gateway.Tests.WebRtc;

/// <summary>Steps the WHIP/WHEP tests share: synthetic RTP and waiting for what the clients saw.</summary>
internal static class MediaTestSteps
{
    /// <summary>A plain RTP packet with a zero payload; timestamps advance 960 per sequence number.</summary>
    public static byte[] RtpPacket(uint ssrc, byte payloadType, ushort sequence, int payloadLength)
    {
        var buffer = new byte[12 + payloadLength];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, payloadType, sequence, sequence * 960u, ssrc);
        writer.TryFinish(new byte[payloadLength], 0, out int written);
        return buffer[..written];
    }
}
