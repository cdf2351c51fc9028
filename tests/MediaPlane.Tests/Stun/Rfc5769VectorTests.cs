using System.Net;
using System.Text;
using MediaPlane.Stun;

namespace MediaPlane.Tests.Stun;

/// <summary>RFC 5769 "Test Vectors for STUN", every section.</summary>
public class Rfc5769VectorTests
{
    private const string ShortTermPassword = "VOkJxbRl1RmTxUk/WvJxBt";

    // §2.1 Sample Request. SOFTWARE and USERNAME padding is 0x20 in the RFC, kept as is.
    internal static readonly byte[] SampleRequest = Hex.Parse("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """);

    // §2.2 Sample IPv4 Response: 192.0.2.1:32853.
    internal static readonly byte[] SampleIPv4Response = Hex.Parse("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """);

    // §2.3 Sample IPv6 Response: [2001:db8:1234:5678:11:2233:4455:6677]:32853.
    internal static readonly byte[] SampleIPv6Response = Hex.Parse("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """);

    // §2.4 Sample Request with Long-Term Authentication: USERNAME "マトリックス", NONCE, REALM
    // "example.org", password "TheMatrIX" (after SASLprep of "TheMªtrⅨ").
    internal static readonly byte[] LongTermRequest = Hex.Parse("""
        00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
        00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
        00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
        00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
        00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66
        """);

    private static readonly byte[] VectorTransactionId = Hex.Parse("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    [Fact]
    public void Sample_request_parses_with_all_ice_attributes()
    {
        StunMessageReader.TryParse(SampleRequest, out var reader, out var error).Should().BeTrue();
        error.Should().Be(StunParseError.None);
        reader.IsBindingRequest.Should().BeTrue();
        reader.Class.Should().Be(StunMessageClass.Request);
        reader.TransactionIdBytes.ToArray().Should().Equal(VectorTransactionId);
        reader.TryGetUsername(out var username).Should().BeTrue();
        Encoding.ASCII.GetString(username).Should().Be("evtj:h6vY");
        StunUsername.TrySplit(username, out var local, out var remote).Should().BeTrue();
        Encoding.ASCII.GetString(local).Should().Be("evtj");
        Encoding.ASCII.GetString(remote).Should().Be("h6vY");
        reader.TryGetPriority(out uint priority).Should().BeTrue();
        priority.Should().Be(0x6e0001ff);
        reader.TryGetIceControlled(out ulong tieBreaker).Should().BeTrue();
        tieBreaker.Should().Be(0x932ff9b151263b36);
        reader.TryGetIceControlling(out _).Should().BeFalse();
        reader.UseCandidate.Should().BeFalse();
        reader.TryGetAttribute(StunAttributeType.Software, out var software).Should().BeTrue();
        Encoding.ASCII.GetString(software).Should().Be("STUN test client");
    }

    [Fact]
    public void Sample_request_integrity_and_fingerprint_verify()
    {
        StunMessageReader.TryParse(SampleRequest, out var reader, out _).Should().BeTrue();
        reader.VerifyMessageIntegrity(Encoding.ASCII.GetBytes(ShortTermPassword)).Should().BeTrue();
        reader.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8).Should().BeFalse();
        reader.VerifyFingerprint().Should().BeTrue();
    }

    [Fact]
    public void Sample_ipv4_response_decodes_mapped_address_and_verifies()
    {
        StunMessageReader.TryParse(SampleIPv4Response, out var reader, out _).Should().BeTrue();
        reader.Class.Should().Be(StunMessageClass.SuccessResponse);
        reader.Method.Should().Be(StunConstants.BindingMethod);
        reader.TryGetXorMappedAddress(out var endPoint).Should().BeTrue();
        endPoint.Should().Be(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853));
        reader.VerifyMessageIntegrity(Encoding.ASCII.GetBytes(ShortTermPassword)).Should().BeTrue();
        reader.VerifyFingerprint().Should().BeTrue();
    }

    [Fact]
    public void Sample_ipv6_response_decodes_mapped_address_and_verifies()
    {
        StunMessageReader.TryParse(SampleIPv6Response, out var reader, out _).Should().BeTrue();
        reader.TryGetXorMappedAddress(out var endPoint).Should().BeTrue();
        endPoint.Should().Be(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        reader.VerifyMessageIntegrity(Encoding.ASCII.GetBytes(ShortTermPassword)).Should().BeTrue();
        reader.VerifyFingerprint().Should().BeTrue();
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677")]
    public void Writer_rebuilds_the_sample_responses_byte_for_byte(string address)
    {
        var expected = address.Contains(':') ? SampleIPv6Response : SampleIPv4Response;
        var buffer = new byte[128];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.SuccessResponse,
            TransactionId.Read(VectorTransactionId), out var writer).Should().BeTrue();
        // The RFC pads SOFTWARE with a space; our writer pads with zeros, so write the padded value
        // then fix the length to 11 by adding it raw.
        writer.TryAddAttribute(StunAttributeType.Software, "test vector"u8).Should().BeTrue();
        buffer[20 + 4 + 11] = 0x20;
        writer.TryAddXorMappedAddress(new IPEndPoint(IPAddress.Parse(address), 32853)).Should().BeTrue();
        writer.TryAddMessageIntegrity(Encoding.ASCII.GetBytes(ShortTermPassword)).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        writer.Written.ToArray().Should().Equal(expected);
    }

    [Fact]
    public void Writer_rebuilds_the_sample_request_byte_for_byte()
    {
        var buffer = new byte[128];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request,
            TransactionId.Read(VectorTransactionId), out var writer).Should().BeTrue();
        writer.TryAddAttribute(StunAttributeType.Software, "STUN test client"u8).Should().BeTrue();
        writer.TryAddPriority(0x6e0001ff).Should().BeTrue();
        writer.TryAddIceControlled(0x932ff9b151263b36).Should().BeTrue();
        int usernameAt = writer.Length;
        writer.TryAddUsername("evtj:h6vY"u8).Should().BeTrue();
        buffer.AsSpan(usernameAt + 4 + 9, 3).Fill(0x20); // the RFC's padding bytes
        writer.TryAddMessageIntegrity(Encoding.ASCII.GetBytes(ShortTermPassword)).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        writer.Written.ToArray().Should().Equal(SampleRequest);
    }

    [Fact]
    public void Long_term_request_verifies_with_md5_key_of_saslprepped_credentials()
    {
        StunMessageReader.TryParse(LongTermRequest, out var reader, out var error).Should().BeTrue(error.ToString());
        reader.TryGetUsername(out var username).Should().BeTrue();
        Encoding.UTF8.GetString(username).Should().Be("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9");
        reader.TryGetAttribute(StunAttributeType.Nonce, out var nonce).Should().BeTrue();
        Encoding.ASCII.GetString(nonce).Should().Be("f//499k954d6OL34oL9FSTvy64sA");
        reader.TryGetAttribute(StunAttributeType.Realm, out var realm).Should().BeTrue();
        Encoding.ASCII.GetString(realm).Should().Be("example.org");
        reader.HasFingerprint.Should().BeFalse();
        reader.VerifyFingerprint().Should().BeFalse();

        // The key exactly as the brief states it: MD5 of the already-prepared string.
        var direct = System.Security.Cryptography.MD5.HashData(
            Encoding.UTF8.GetBytes("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:TheMatrIX"));
        reader.VerifyMessageIntegrity(direct).Should().BeTrue();

        // The helper, from the un-prepared password of RFC 5769 §2.4 ("TheM\u00AAtr\u2168").
        var key = new byte[16];
        StunCredentials.ComputeLongTermKey("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "example.org", "TheM\u00AAtr\u2168", key);
        key.Should().Equal(direct);
        StunCredentials.SaslPrep("TheM\u00AAtr\u2168").Should().Be("TheMatrIX");
        reader.VerifyMessageIntegrity(key).Should().BeTrue();

        StunCredentials.ComputeLongTermKey("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "example.org", "thematrix", key);
        reader.VerifyMessageIntegrity(key).Should().BeFalse();
    }

    [Fact]
    public void Flipping_any_byte_before_the_fingerprint_breaks_it()
    {
        for (int i = 0; i < SampleRequest.Length - 4; i++)
        {
            if (i is 2 or 3)
                continue; // the length field: changing it makes the message unparsable, not unverifiable
            var copy = (byte[])SampleRequest.Clone();
            copy[i] ^= 0x01;
            if (StunMessageReader.TryParse(copy, out var reader, out _))
                reader.VerifyFingerprint().Should().BeFalse($"byte {i} was flipped");
        }
    }
}
