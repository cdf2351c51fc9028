using MediaPlane.Routing.Egress;
using MediaPlane.Rtp;

namespace MediaPlane.Tests.Routing.Egress;

/// <summary>
/// The extension block a subscriber gets, byte for byte (RFC 8285 §4.2 one-byte and §4.3 two-byte forms), worked out
/// by hand from the ids each side negotiated.
/// </summary>
public sealed class EgressHeaderExtensionsTests
{
    private const int RidId = 10;

    private static readonly HeaderExtensionIds Publisher = HeaderExtensionIds.From(
    [
        new(HeaderExtensionIds.AudioLevelUri, 1),
        new(HeaderExtensionIds.TransportSequenceNumberUri, 3),
        new(HeaderExtensionIds.MidUri, 4),
        new(HeaderExtensionIds.DependencyDescriptorUri, 11),
        new("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", RidId),
    ]);

    /// <summary>A publisher's packet: audio level 0x85, its own transport seq, its mid "0", rid "h", 4 payload bytes.</summary>
    private static byte[] PublisherPacket(RtpExtensionForm form = RtpExtensionForm.OneByte, byte[]? dependencyDescriptor = null)
    {
        var buffer = new byte[600];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, 111, 7, 960, 0x11111111, extensionForm: form).Should().BeTrue();
        writer.TryAddExtension(1, [0x85]).Should().BeTrue();
        writer.TryAddExtension(3, [0x12, 0x34]).Should().BeTrue();
        writer.TryAddExtension(4, "0"u8).Should().BeTrue();
        writer.TryAddExtension(RidId, "h"u8).Should().BeTrue();
        if (dependencyDescriptor is not null)
            writer.TryAddExtension(11, dependencyDescriptor).Should().BeTrue();
        writer.TryFinish([0xAA, 0xBB, 0xCC, 0xDD], 0, out int written).Should().BeTrue();
        return buffer[..written];
    }

    private static int Write(byte[] packet, HeaderExtensionIds subscriber, string mid, byte[] destination, out int sequenceOffset)
    {
        RtpPacketReader.TryParse(packet, out var reader, out _).Should().BeTrue();
        return EgressHeaderExtensions.Write(destination, reader, Publisher, subscriber, System.Text.Encoding.ASCII.GetBytes(mid),
            absSendTime24: 0xABCDEF, out sequenceOffset);
    }

    [Fact]
    public void One_byte_form_in_the_subscribers_ids_with_its_mid_and_a_slot_for_the_transport_sequence_number()
    {
        var subscriber = HeaderExtensionIds.From(
        [
            new(HeaderExtensionIds.MidUri, 9),
            new(HeaderExtensionIds.AbsSendTimeUri, 2),
            new(HeaderExtensionIds.TransportSequenceNumberUri, 5),
            new(HeaderExtensionIds.AudioLevelUri, 12),
        ]);
        var destination = new byte[EgressHeaderExtensions.MaxLength];

        int length = Write(PublisherPacket(), subscriber, "a1", destination, out int sequenceOffset);

        // BEDE, 3 words | mid: id 9, L=1 "a1" | abs-send-time: id 2, L=2 | transport seq: id 5, L=1, 0 | audio level: id 12, L=0.
        destination[..length].Should().Equal(Hex.Parse("BEDE 0003  91 6131  22 ABCDEF  51 0000  C0 85"));
        sequenceOffset.Should().Be(4 + 3 + 4 + 1);
    }

    [Fact]
    public void The_block_is_padded_to_32_bits_with_zero_bytes()
    {
        var subscriber = HeaderExtensionIds.From([new(HeaderExtensionIds.MidUri, 1), new(HeaderExtensionIds.AbsSendTimeUri, 2)]);
        var destination = new byte[EgressHeaderExtensions.MaxLength];

        int length = Write(PublisherPacket(), subscriber, "0", destination, out int sequenceOffset);

        destination[..length].Should().Equal(Hex.Parse("BEDE 0002  10 30  22 ABCDEF  0000"));
        sequenceOffset.Should().Be(-1, "the subscriber did not negotiate transport-wide sequence numbers");
    }

    [Fact]
    public void An_id_above_14_takes_the_two_byte_form()
    {
        var subscriber = HeaderExtensionIds.From([new(HeaderExtensionIds.MidUri, 1), new(HeaderExtensionIds.TransportSequenceNumberUri, 20)]);
        var destination = new byte[EgressHeaderExtensions.MaxLength];

        int length = Write(PublisherPacket(), subscriber, "v", destination, out int sequenceOffset);

        // 0x1000 profile, 2 words | mid: id 1, length 1, "v" | transport seq: id 20, length 2 | one zero pad byte.
        destination[..length].Should().Equal(Hex.Parse("1000 0002  01 01 76  14 02 0000  00"));
        sequenceOffset.Should().Be(4 + 3 + 2);
    }

    [Fact]
    public void A_dependency_descriptor_longer_than_16_bytes_is_copied_in_the_two_byte_form()
    {
        var descriptor = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var subscriber = HeaderExtensionIds.From([new(HeaderExtensionIds.DependencyDescriptorUri, 6)]);
        var destination = new byte[EgressHeaderExtensions.MaxLength];

        int length = Write(PublisherPacket(RtpExtensionForm.TwoByte, descriptor), subscriber, "", destination, out _);

        // 0x1000 profile, 6 words | id 6, length 20, the descriptor | two zero pad bytes.
        destination[..length].Should().Equal(Hex.Parse("1000 0006  06 14").Concat(descriptor).Concat(Hex.Parse("0000")));
    }

    [Fact]
    public void The_rid_and_the_publishers_own_numbers_never_reach_a_subscriber()
    {
        var subscriber = HeaderExtensionIds.From([new(HeaderExtensionIds.MidUri, 4), new(HeaderExtensionIds.TransportSequenceNumberUri, 3)]);
        var destination = new byte[EgressHeaderExtensions.MaxLength];
        var packet = new byte[12 + EgressHeaderExtensions.MaxLength];

        int length = Write(PublisherPacket(), subscriber, "m", destination, out _);
        Hex.Parse("900000010000000000000001").CopyTo(packet, 0);
        destination.AsSpan(0, length).CopyTo(packet.AsSpan(12));
        RtpPacketReader.TryParse(packet.AsSpan(0, 12 + length), out var reader, out _).Should().BeTrue();

        reader.TryFindExtension(RidId, out ReadOnlySpan<byte> _).Should().BeFalse();
        reader.TryFindExtension(3, out ReadOnlySpan<byte> sequence).Should().BeTrue();
        sequence.ToArray().Should().Equal(0, 0); // our slot, not the publisher's 0x1234
        reader.TryFindExtension(4, out ReadOnlySpan<byte> mid).Should().BeTrue();
        mid.ToArray().Should().Equal("m"u8.ToArray());
    }

    [Fact]
    public void Nothing_negotiated_or_nothing_to_write_gives_no_block()
    {
        var destination = new byte[EgressHeaderExtensions.MaxLength];
        Write(PublisherPacket(), HeaderExtensionIds.None, "0", destination, out int offset).Should().Be(0);
        offset.Should().Be(-1);

        // Audio level negotiated by the subscriber only: the publisher's packet has none to forward.
        var onlyVideoOrientation = HeaderExtensionIds.From([new(HeaderExtensionIds.VideoOrientationUri, 7)]);
        Write(PublisherPacket(), onlyVideoOrientation, "0", destination, out _).Should().Be(0);
    }
}
