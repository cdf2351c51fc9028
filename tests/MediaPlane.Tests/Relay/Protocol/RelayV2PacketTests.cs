using MediaPlane.Demux;
using MediaPlane.Relay.Protocol;

namespace MediaPlane.Tests.Relay.Protocol;

public class RelayV2PacketTests
{
    internal static readonly RelayV2Header SampleHeader = new(RelayV2PacketType.Media, HopLimit: 8, Timestamp: 0x0A0B0C0D,
        Room: 0x1111111111111111, Stream: 0x2222222222222222, Source: 0xAAAAAAAAAAAAAAAA, Destination: 0xBBBBBBBBBBBBBBBB);

    // The header above with key id 3 and sequence 0x0102030405060708, a 4-byte payload and the (zeroed) tag,
    // byte by byte as the diagram in RelayV2Packet draws it.
    private static readonly byte[] SampleUnsealed = Hex.Parse("""
        05 01 08 03  00 01 00 00
        01 02 03 04  05 06 07 08
        0A 0B 0C 0D
        11 11 11 11  11 11 11 11
        22 22 22 22  22 22 22 22
        AA AA AA AA  AA AA AA AA
        BB BB BB BB  BB BB BB BB
        80 60 00 01
        00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
        """);

    [Fact]
    public void Writes_the_documented_layout()
    {
        var buffer = new byte[100];

        RelayV2Writer.TryWrite(buffer, SampleHeader, keyId: 3, sequence: 0x0102030405060708, [], [0x80, 0x60, 0x00, 0x01], out int written)
            .Should().BeTrue();

        written.Should().Be(RelayV2Packet.Overhead + 4);
        buffer[..written].Should().Equal(SampleUnsealed);
        PacketClassifier.Classify(buffer.AsSpan(0, written)).Should().Be(PacketKind.Relay);
    }

    [Fact]
    public void Reads_every_field_of_the_documented_layout()
    {
        RelayV2Packet.TryParse(SampleUnsealed, out var packet, out var error).Should().BeTrue();

        error.Should().Be(RelayV2ParseError.None);
        packet.Type.Should().Be(RelayV2PacketType.Media);
        packet.HopLimit.Should().Be(8);
        packet.KeyId.Should().Be(3);
        packet.IsRouteId.Should().BeFalse();
        packet.DestinationCount.Should().Be(1);
        packet.Sequence.Should().Be(0x0102030405060708);
        packet.Timestamp.Should().Be(0x0A0B0C0D);
        packet.ToHeader().Should().Be(SampleHeader);
        packet.HeaderLength.Should().Be(52);
        packet.Header.ToArray().Should().Equal(SampleUnsealed[..52]);
        packet.Payload.ToArray().Should().Equal(0x80, 0x60, 0x00, 0x01);
        packet.Tag.Length.Should().Be(16);
    }

    [Fact]
    public void Route_id_and_several_destinations_round_trip()
    {
        var buffer = new byte[200];
        var routed = SampleHeader with { Type = RelayV2PacketType.Fec, Destination = 0x0123456789ABCDEF, IsRouteId = true };
        RelayV2Writer.TryWrite(buffer, routed, 1, 2, [], [9], out int written).Should().BeTrue();
        buffer[4].Should().Be(0x80, "the R flag");
        RelayV2Packet.TryParse(buffer.AsSpan(0, written), out var packet, out _).Should().BeTrue();
        packet.ToHeader().Should().Be(routed);

        RelayV2Writer.TryWrite(buffer, SampleHeader, 1, 2, [0xC1, 0xC2], [9, 9], out written).Should().BeTrue();
        written.Should().Be(44 + 3 * 8 + 2 + 16);
        RelayV2Packet.TryParse(buffer.AsSpan(0, written), out packet, out _).Should().BeTrue();
        packet.DestinationCount.Should().Be(3);
        packet.DestinationAt(0).Should().Be(0xBBBBBBBBBBBBBBBB);
        packet.DestinationAt(1).Should().Be(0xC1);
        packet.DestinationAt(2).Should().Be(0xC2);
        packet.Payload.ToArray().Should().Equal(9, 9);
    }

    [Fact]
    public void Every_type_and_an_empty_payload_round_trip()
    {
        var buffer = new byte[RelayV2Packet.Overhead];
        foreach (var type in Enum.GetValues<RelayV2PacketType>())
        {
            var header = SampleHeader with { Type = type, HopLimit = 0, Timestamp = uint.MaxValue };
            RelayV2Writer.TryWrite(buffer, header, 255, ulong.MaxValue, [], [], out int written).Should().BeTrue();
            written.Should().Be(RelayV2Packet.Overhead);
            RelayV2Packet.TryParse(buffer, out var packet, out _).Should().BeTrue();
            packet.ToHeader().Should().Be(header);
            packet.Sequence.Should().Be(ulong.MaxValue);
            packet.Payload.IsEmpty.Should().BeTrue();
        }
    }

    [Fact]
    public void Writer_refuses_what_the_reader_would_refuse()
    {
        var buffer = new byte[200];
        RelayV2Writer.TryWrite(buffer, SampleHeader with { Type = 0 }, 0, 0, [], [], out _).Should().BeFalse();
        RelayV2Writer.TryWrite(buffer, SampleHeader with { Type = (RelayV2PacketType)8 }, 0, 0, [], [], out _).Should().BeFalse();
        RelayV2Writer.TryWrite(buffer, SampleHeader with { IsRouteId = true }, 0, 0, [1], [], out _).Should().BeFalse();
        RelayV2Writer.TryWrite(buffer, SampleHeader, 0, 0, new ulong[RelayV2Packet.MaxDestinations], [], out _).Should().BeFalse();
        RelayV2Writer.TryWrite(buffer.AsSpan(0, RelayV2Packet.Overhead + 3), SampleHeader, 0, 0, [], [1, 2, 3, 4], out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 0x00, RelayV2ParseError.NotRelay)]
    [InlineData(0, 0x80, RelayV2ParseError.NotRelay)]
    [InlineData(0, 0x04, RelayV2ParseError.UnsupportedVersion)]
    [InlineData(0, 0x0F, RelayV2ParseError.UnsupportedVersion)]
    [InlineData(1, 0x00, RelayV2ParseError.UnknownType)]
    [InlineData(1, 0x08, RelayV2ParseError.UnknownType)]
    [InlineData(4, 0x40, RelayV2ParseError.ReservedBitsSet)]
    [InlineData(6, 0x01, RelayV2ParseError.ReservedBitsSet)]
    [InlineData(7, 0x80, RelayV2ParseError.ReservedBitsSet)]
    [InlineData(5, 0x00, RelayV2ParseError.BadDestinationCount)]
    [InlineData(5, 0x09, RelayV2ParseError.BadDestinationCount)]
    [InlineData(5, 0x02, RelayV2ParseError.TooShort)]
    public void Rejects_a_bad_header_byte_with_its_reason(int offset, byte value, RelayV2ParseError expected)
    {
        var bytes = (byte[])SampleUnsealed.Clone();
        bytes[offset] = value;

        RelayV2Packet.TryParse(bytes, out _, out var error).Should().BeFalse();

        error.Should().Be(expected);
    }

    [Fact]
    public void Rejects_route_id_with_several_destinations_and_short_datagrams()
    {
        var bytes = new byte[100];
        SampleUnsealed.CopyTo(bytes, 0);
        bytes[4] = 0x80;
        bytes[5] = 2;
        RelayV2Packet.TryParse(bytes, out _, out var error).Should().BeFalse();
        error.Should().Be(RelayV2ParseError.BadDestinationCount);

        for (int length = 0; length < RelayV2Packet.Overhead; length++)
        {
            RelayV2Packet.TryParse(SampleUnsealed.AsSpan(0, length), out _, out error).Should().BeFalse();
            error.Should().Be(length == 0 ? RelayV2ParseError.NotRelay : RelayV2ParseError.TooShort);
        }
        RelayV2Packet.TryParse(SampleUnsealed.AsSpan(0, RelayV2Packet.Overhead), out var empty, out _).Should().BeTrue();
        empty.Payload.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Timestamp_differences_survive_the_32_bit_wrap_and_sequences_start_above_earlier_runs()
    {
        RelayV2Clock.Elapsed(0xFFFF_FF00, 0x0000_0100).Should().Be(0x200);
        uint before = RelayV2Clock.NowMicroseconds();
        RelayV2Clock.Elapsed(before, RelayV2Clock.NowMicroseconds()).Should().BeLessThan(10_000_000);

        ulong first = RelaySendLink.SequenceFromClock();
        first.Should().BeGreaterThan(1_796_083_200_000_000UL, "microseconds since 1970, past 2026-12-01");
        Thread.Sleep(2);
        RelaySendLink.SequenceFromClock().Should().BeGreaterThan(first, "a restarted sender starts above where it began before");
    }
}
