using MediaPlane.Routing.Repair;
using MediaPlane.Rtp;

namespace MediaPlane.Tests.Routing.Repair;

/// <summary>RFC 4588 §4 unwrapping of a publisher's RTX packet, on hand-made bytes.</summary>
public class RtxPacketTests
{
    [Fact]
    public void The_original_packet_comes_back_with_its_sequence_number_ssrc_payload_type_and_extension()
    {
        byte[] rtx =
        [
            0x90, 0xE1, 0x00, 0x07, // V=2 X=1, M=1 PT=97 (rtx), RTX sequence 7
            0x00, 0x00, 0x30, 0x39, // timestamp 12345
            0x00, 0x00, 0x22, 0x22, // RTX SSRC 0x2222
            0xBE, 0xDE, 0x00, 0x01, // one-byte extensions, 1 word
            0x30, 0xAA, 0xBB, 0xCC, // id 3, 3 bytes (abs-send-time)
            0xFF, 0xFE,             // OSN 65534
            0x01, 0x02, 0x03,       // original payload
        ];
        RtpPacketReader.TryParse(rtx, out var header, out _).Should().BeTrue();

        RtxPacket.TryUnwrap(rtx, header, originalPayloadType: 96, originalSsrc: 0x1111, out ushort osn).Should().BeTrue();

        osn.Should().Be(65534);
        rtx[RtxPacket.OriginalOffset..].Should().Equal(
            0x90, 0xE0, 0xFF, 0xFE, // M=1 kept, PT=96, sequence = OSN
            0x00, 0x00, 0x30, 0x39,
            0x00, 0x00, 0x11, 0x11,
            0xBE, 0xDE, 0x00, 0x01,
            0x30, 0xAA, 0xBB, 0xCC,
            0x01, 0x02, 0x03);
        RtpPacketReader.TryParse(rtx.AsSpan(RtxPacket.OriginalOffset), out var original, out _).Should().BeTrue();
        original.Payload.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Padding_stays_at_the_end()
    {
        byte[] rtx =
        [
            0xA0, 0x61, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0x22, 0x22, // P=1, PT=97
            0x00, 0x05, 0x09,                                     // OSN 5, payload 09
            0x00, 0x02,                                           // 2 bytes of padding
        ];
        RtpPacketReader.TryParse(rtx, out var header, out _).Should().BeTrue();

        RtxPacket.TryUnwrap(rtx, header, 96, 0x1111, out ushort osn).Should().BeTrue();

        osn.Should().Be(5);
        RtpPacketReader.TryParse(rtx.AsSpan(RtxPacket.OriginalOffset), out var original, out _).Should().BeTrue();
        original.Payload.ToArray().Should().Equal(9);
        original.SequenceNumber.Should().Be(5);
    }

    [Fact]
    public void A_padding_only_probe_has_nothing_to_unwrap()
    {
        byte[] probe = [0xA0, 0x61, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0x22, 0x22, 0, 0, 0, 4]; // P=1, 4 bytes of padding, no OSN
        RtpPacketReader.TryParse(probe, out var header, out _).Should().BeTrue();
        var copy = probe.ToArray();

        RtxPacket.TryUnwrap(probe, header, 96, 0x1111, out _).Should().BeFalse();
        probe.Should().Equal(copy, "left as it was");

        byte[] oneByte = [0x80, 0x61, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0x22, 0x22, 0x07];
        RtpPacketReader.TryParse(oneByte, out header, out _).Should().BeTrue();
        RtxPacket.TryUnwrap(oneByte, header, 96, 0x1111, out _).Should().BeFalse("one byte is no OSN");
    }
}
