using System.Security.Cryptography;
using MediaPlane.Demux;
using MediaPlane.Relay;

namespace MediaPlane.Tests.Relay;

public class RelayPacketTests
{
    internal static readonly byte[] Key = Hex.Parse("000102030405060708090a0b0c0d0e0f");
    private static readonly RelayAuthenticator Authenticator = new(Key);

    internal static readonly RelayHeader SampleHeader = new(RelayPacketKind.Rtp, HopLimit: 8, Sequence: 0x01020304,
        RoomHash: 0x1111111111111111, StreamHash: 0x2222222222222222, SourceNode: 0xAAAAAAAAAAAAAAAA, DestinationNode: 0xBBBBBBBBBBBBBBBB);

    // A 4-byte payload behind the header above, byte by byte as the layout diagram draws it.
    private static readonly byte[] SampleWithoutTag = Hex.Parse("""
        04 01 08 00  01 02 03 04
        11 11 11 11  11 11 11 11
        22 22 22 22  22 22 22 22
        AA AA AA AA  AA AA AA AA
        BB BB BB BB  BB BB BB BB
        80 60 00 01
        """);

    internal static byte[] Sample()
    {
        var buffer = new byte[100];
        RelayPacketWriter.TryWrite(buffer, SampleHeader, [0x80, 0x60, 0x00, 0x01], Authenticator, out int written).Should().BeTrue();
        return buffer[..written];
    }

    [Fact]
    public void Writes_the_documented_layout_and_a_truncated_hmac_sha256_tag()
    {
        var packet = Sample();

        packet.Should().HaveCount(RelayPacketReader.Overhead + 4);
        packet[..^12].Should().Equal(SampleWithoutTag);
        using var hmac = new HMACSHA256(Key);
        packet[^12..].Should().Equal(hmac.ComputeHash(SampleWithoutTag)[..12]);
        PacketClassifier.Classify(packet).Should().Be(PacketKind.Relay);
    }

    [Fact]
    public void Parses_what_it_wrote()
    {
        var bytes = Sample();

        RelayPacketReader.TryParse(bytes, out var packet, out var error).Should().BeTrue();

        error.Should().Be(RelayParseError.None);
        packet.Header.Should().Be(SampleHeader);
        packet.Payload.ToArray().Should().Equal(0x80, 0x60, 0x00, 0x01);
        Authenticator.Verify(packet).Should().BeTrue();
    }

    [Fact]
    public void Empty_payload_kinds_round_trip()
    {
        var buffer = new byte[RelayPacketReader.Overhead];
        foreach (var kind in new[] { RelayPacketKind.Keepalive, RelayPacketKind.StreamEnded, RelayPacketKind.RtcpFeedback })
        {
            var header = SampleHeader with { Kind = kind, HopLimit = 1, Sequence = uint.MaxValue };
            RelayPacketWriter.TryWrite(buffer, header, [], Authenticator, out int written).Should().BeTrue();
            written.Should().Be(RelayPacketReader.Overhead);
            RelayPacketReader.TryParse(buffer, out var packet, out _).Should().BeTrue();
            packet.Header.Should().Be(header);
            packet.Payload.IsEmpty.Should().BeTrue();
            Authenticator.Verify(packet).Should().BeTrue();
        }
    }

    [Fact]
    public void Any_flipped_bit_or_other_key_fails_verification()
    {
        var original = Sample();
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            var copy = (byte[])original.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            if (RelayPacketReader.TryParse(copy, out var packet, out _))
                Authenticator.Verify(packet).Should().BeFalse($"bit {bit} was flipped");
        }
        RelayPacketReader.TryParse(original, out var intact, out _).Should().BeTrue();
        new RelayAuthenticator(Hex.Parse("0f0e0d0c0b0a09080706050403020100")).Verify(intact).Should().BeFalse();
    }

    [Theory]
    [InlineData("", RelayParseError.NotRelay)]
    [InlineData("03", RelayParseError.NotRelay)]
    [InlineData("10", RelayParseError.NotRelay)]
    [InlineData("80", RelayParseError.NotRelay)]
    [InlineData("0401080000", RelayParseError.TooShort)]
    public void Rejects_short_and_foreign_datagrams(string hex, RelayParseError expected)
    {
        RelayPacketReader.TryParse(Convert.FromHexString(hex), out _, out var error).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Theory]
    [InlineData(0, 0x05, RelayParseError.UnsupportedVersion)]
    [InlineData(0, 0x0F, RelayParseError.UnsupportedVersion)]
    [InlineData(1, 0x00, RelayParseError.UnknownKind)]
    [InlineData(1, 0x05, RelayParseError.UnknownKind)]
    [InlineData(3, 0x01, RelayParseError.ReservedBitsSet)]
    public void Rejects_bad_header_fields(int offset, byte value, RelayParseError expected)
    {
        var packet = Sample();
        packet[offset] = value;

        RelayPacketReader.TryParse(packet, out _, out var error).Should().BeFalse();

        error.Should().Be(expected);
    }

    [Fact]
    public void Writer_refuses_a_buffer_too_small_or_an_undefined_kind()
    {
        var buffer = new byte[RelayPacketReader.Overhead + 3];
        RelayPacketWriter.TryWrite(buffer, SampleHeader, [1, 2, 3, 4], Authenticator, out int written).Should().BeFalse();
        written.Should().Be(0);
        RelayPacketWriter.TryWrite(new byte[100], SampleHeader with { Kind = (RelayPacketKind)9 }, [], Authenticator, out _).Should().BeFalse();
    }

    [Fact]
    public void Keys_shorter_than_16_bytes_are_refused_and_the_development_key_is_stable()
    {
        var shortKey = () => new RelayAuthenticator(new byte[15]);
        shortKey.Should().Throw<ArgumentException>();
        RelayAuthenticator.DeriveDevelopmentKey("c", "s").Should().HaveCount(32)
            .And.Equal(RelayAuthenticator.DeriveDevelopmentKey("c", "s"))
            .And.NotEqual(RelayAuthenticator.DeriveDevelopmentKey("c", "t"));
    }

    [Fact]
    public void Ids_are_the_first_64_bits_of_sha256()
    {
        // FIPS 180-2 appendix B.1: SHA-256("abc") = ba7816bf 8f01cfea ...
        RelayIds.Hash("abc").Should().Be(0xba7816bf8f01cfeaUL);
    }

    [Fact]
    public void Writing_and_verifying_allocate_nothing()
    {
        var buffer = new byte[200];
        var payload = new byte[100];
        bool ok = true;
        uint sequence = 0;
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            ok &= RelayPacketWriter.TryWrite(buffer, SampleHeader with { Sequence = sequence++ }, payload, Authenticator, out int written);
            ok &= RelayPacketReader.TryParse(buffer.AsSpan(0, written), out var packet, out _) && Authenticator.Verify(packet);
        });

        ok.Should().BeTrue();
        allocated.Should().Be(0);
    }
}
