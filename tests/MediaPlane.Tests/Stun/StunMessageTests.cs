using System.Net;
using System.Text;
using MediaPlane.Stun;

namespace MediaPlane.Tests.Stun;

public class StunMessageTests
{
    private static readonly byte[] Password = "9uB6K2uQ8Lt5sNqXhz1fY3a0"u8.ToArray();

    private static byte[] BuildBrowserRequest(TransactionId id, bool useCandidate = true)
    {
        var buffer = new byte[256];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, id, out var writer).Should().BeTrue();
        writer.TryAddUsername("srvUfrag:brwsr"u8).Should().BeTrue();
        writer.TryAddIceControlling(0x0102030405060708).Should().BeTrue();
        if (useCandidate)
            writer.TryAddUseCandidate().Should().BeTrue();
        writer.TryAddPriority(1853824767).Should().BeTrue();
        writer.TryAddMessageIntegrity(Password).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        return writer.Written.ToArray();
    }

    [Fact]
    public void Message_type_encoding_round_trips_all_methods_and_classes()
    {
        for (ushort method = 0; method < 0x1000; method += 7)
        {
            foreach (StunMessageClass c in Enum.GetValues<StunMessageClass>())
            {
                ushort type = StunMessageType.Encode(method, c);
                (type & 0xC000).Should().Be(0);
                StunMessageType.Method(type).Should().Be(method);
                StunMessageType.Class(type).Should().Be(c);
            }
        }
        StunMessageType.Encode(1, StunMessageClass.Request).Should().Be(0x0001);
        StunMessageType.Encode(1, StunMessageClass.SuccessResponse).Should().Be(0x0101);
        StunMessageType.Encode(1, StunMessageClass.ErrorResponse).Should().Be(0x0111);
        StunMessageType.Encode(1, StunMessageClass.Indication).Should().Be(0x0011);
    }

    [Fact]
    public void Writer_output_parses_back_with_every_attribute()
    {
        var id = TransactionId.NewRandom();
        var bytes = BuildBrowserRequest(id);
        StunMessageReader.TryParse(bytes, out var reader, out var error).Should().BeTrue(error.ToString());
        reader.TransactionId.Should().Be(id);
        reader.UseCandidate.Should().BeTrue();
        reader.TryGetIceControlling(out ulong tie).Should().BeTrue();
        tie.Should().Be(0x0102030405060708);
        reader.TryGetPriority(out uint priority).Should().BeTrue();
        priority.Should().Be(1853824767);
        reader.VerifyMessageIntegrity(Password).Should().BeTrue();
        reader.VerifyFingerprint().Should().BeTrue();
    }

    [Fact]
    public void Message_integrity_sha256_round_trips_after_sha1()
    {
        var buffer = new byte[256];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, TransactionId.NewRandom(), out var writer).Should().BeTrue();
        writer.TryAddUsername("a:b"u8).Should().BeTrue();
        writer.TryAddMessageIntegrity(Password).Should().BeTrue();
        writer.TryAddMessageIntegritySha256(Password).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        StunMessageReader.TryParse(writer.Written, out var reader, out _).Should().BeTrue();
        reader.VerifyMessageIntegrity(Password).Should().BeTrue();
        reader.VerifyMessageIntegritySha256(Password).Should().BeTrue();
        reader.VerifyMessageIntegritySha256("other"u8).Should().BeFalse();
        reader.VerifyFingerprint().Should().BeTrue();
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored()
    {
        var buffer = new byte[256];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, TransactionId.NewRandom(), out var writer).Should().BeTrue();
        writer.TryAddMessageIntegrity(Password).Should().BeTrue();
        writer.TryAddUsername("late:user"u8).Should().BeTrue();
        writer.TryAddPriority(5).Should().BeTrue();
        StunMessageReader.TryParse(writer.Written, out var reader, out _).Should().BeTrue();
        reader.TryGetUsername(out _).Should().BeFalse();
        reader.TryGetPriority(out _).Should().BeFalse();
        reader.TryGetAttribute(StunAttributeType.Username, out _).Should().BeFalse();
        reader.VerifyMessageIntegrity(Password).Should().BeTrue();
    }

    [Fact]
    public void Error_response_carries_code_and_reason()
    {
        StunMessageReader.TryParse(BuildBrowserRequest(TransactionId.NewRandom()), out var request, out _).Should().BeTrue();
        var buffer = new byte[128];
        IceLiteBinding.TryWriteErrorResponse(request, 487, "Role Conflict"u8, Password, buffer, out int written).Should().BeTrue();
        StunMessageReader.TryParse(buffer.AsSpan(0, written), out var response, out _).Should().BeTrue();
        response.Class.Should().Be(StunMessageClass.ErrorResponse);
        response.TransactionId.Should().Be(request.TransactionId);
        response.TryGetErrorCode(out int code, out var reason).Should().BeTrue();
        code.Should().Be(487);
        Encoding.UTF8.GetString(reason).Should().Be("Role Conflict");
        response.VerifyMessageIntegrity(Password).Should().BeTrue();
        response.VerifyFingerprint().Should().BeTrue();
    }

    [Theory]
    [InlineData("", StunParseError.TooShort)]
    [InlineData("0001000021", StunParseError.TooShort)]
    [InlineData("c0010000 2112a442 000000000000000000000000", StunParseError.NotStun)]
    [InlineData("00010000 2112a443 000000000000000000000000", StunParseError.BadMagicCookie)]
    [InlineData("00010002 2112a442 000000000000000000000000 0000", StunParseError.BadLength)]
    [InlineData("00010008 2112a442 000000000000000000000000 00060004", StunParseError.Truncated)]
    [InlineData("00010004 2112a442 000000000000000000000000 00060008", StunParseError.AttributeOverrun)]
    [InlineData("00010008 2112a442 000000000000000000000000 00240003 00000000", StunParseError.InvalidAttribute)]
    [InlineData("00010010 2112a442 000000000000000000000000 80280004 00000000 00250000 00250000", StunParseError.AttributeAfterFingerprint)]
    public void Malformed_messages_report_the_reason(string hex, StunParseError expected)
    {
        StunMessageReader.TryParse(Hex.Parse(hex), out _, out var error).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Fact]
    public void Ice_lite_flow_answers_from_socket_address_without_allocating()
    {
        var id = TransactionId.NewRandom();
        var datagram = BuildBrowserRequest(id);
        var remote = new IPEndPoint(IPAddress.Parse("203.0.113.77"), 50123).Serialize();
        var remoteV6 = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 40000).Serialize();
        var mapped = new IPEndPoint(IPAddress.Parse("203.0.113.77").MapToIPv6(), 50123).Serialize();
        var response = new byte[IceLiteBinding.MaxSuccessResponseLength];
        int written = 0;

        // Warm up (JIT, static tables), then measure one full request/response turn.
        RunOnce(datagram, remote, response, out written).Should().BeTrue();
        bool ok = true;
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            ok &= RunOnce(datagram, remote, response, out _);
            ok &= RunOnce(datagram, remoteV6, response, out _);
            ok &= RunOnce(datagram, mapped, response, out written);
        }, callsPerRound: 100, warmUpCalls: 20);
        ok.Should().BeTrue();
        allocated.Should().Be(0);

        StunMessageReader.TryParse(response.AsSpan(0, written), out var reader, out _).Should().BeTrue();
        reader.Class.Should().Be(StunMessageClass.SuccessResponse);
        reader.Method.Should().Be(StunConstants.BindingMethod);
        reader.TransactionId.Should().Be(id);
        reader.TryGetXorMappedAddress(out var endPoint).Should().BeTrue();
        endPoint.Should().Be(new IPEndPoint(IPAddress.Parse("203.0.113.77"), 50123), "an IPv4-mapped peer is answered as IPv4");
        reader.VerifyMessageIntegrity(Password).Should().BeTrue();
        reader.VerifyFingerprint().Should().BeTrue();
    }

    private static bool RunOnce(byte[] datagram, SocketAddress remote, byte[] response, out int written)
    {
        written = 0;
        if (!StunMessageReader.TryParse(datagram, out var request, out _) || !request.IsBindingRequest)
            return false;
        if (!request.TryGetUsername(out var username) || !StunUsername.TrySplit(username, out var local, out _))
            return false;
        if (!local.SequenceEqual("srvUfrag"u8) || !request.VerifyMessageIntegrity(Password) || !request.VerifyFingerprint())
            return false;
        return IceLiteBinding.TryWriteSuccessResponse(request, remote, Password, response, out written);
    }

    [Fact]
    public void Ipv6_success_response_from_endpoint_round_trips()
    {
        StunMessageReader.TryParse(BuildBrowserRequest(TransactionId.NewRandom()), out var request, out _).Should().BeTrue();
        var remote = new IPEndPoint(IPAddress.Parse("2001:db8::42"), 9);
        var buffer = new byte[IceLiteBinding.MaxSuccessResponseLength];
        IceLiteBinding.TryWriteSuccessResponse(request, remote, Password, buffer, out int written).Should().BeTrue();
        written.Should().Be(IceLiteBinding.MaxSuccessResponseLength);
        StunMessageReader.TryParse(buffer.AsSpan(0, written), out var reader, out _).Should().BeTrue();
        reader.TryGetXorMappedAddress(out var endPoint).Should().BeTrue();
        endPoint.Should().Be(remote);
        IceLiteBinding.TryWriteSuccessResponse(request, remote, Password, buffer.AsSpan(0, written - 1), out _).Should().BeFalse();
    }

    [Fact]
    public void Username_split_rejects_missing_parts()
    {
        StunUsername.TrySplit("nocolon"u8, out _, out _).Should().BeFalse();
        StunUsername.TrySplit(":x"u8, out _, out _).Should().BeFalse();
        StunUsername.TrySplit("x:"u8, out _, out _).Should().BeFalse();
        StunUsername.TrySplit("a:b:c"u8, out var local, out var remote).Should().BeTrue();
        Encoding.ASCII.GetString(local).Should().Be("a");
        Encoding.ASCII.GetString(remote).Should().Be("b:c");
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        StunCrc32.Compute("123456789"u8).Should().Be(0xCBF43926);
    }

    [Fact]
    public void Writer_refuses_a_small_buffer_without_corrupting_the_message()
    {
        var buffer = new byte[32];
        StunMessageWriter.TryCreate(buffer, 1, StunMessageClass.Request, TransactionId.NewRandom(), out var writer).Should().BeTrue();
        writer.TryAddPriority(1).Should().BeTrue();
        writer.TryAddMessageIntegrity(Password).Should().BeFalse();
        writer.Length.Should().Be(28);
        StunMessageReader.TryParse(writer.Written, out var reader, out _).Should().BeTrue();
        reader.TryGetPriority(out uint p).Should().BeTrue();
        p.Should().Be(1);
    }
}
