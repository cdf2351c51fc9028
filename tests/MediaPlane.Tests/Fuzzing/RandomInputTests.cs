using System.Buffers.Binary;
using MediaPlane.Fuzz;
using MediaPlane.Fuzz.Targets;
using MediaPlane.Rtcp;
using MediaPlane.Stun;

namespace MediaPlane.Tests.Fuzzing;

/// <summary>
/// Seeded random-input runs of every parser: 100,000 inputs each, mixing mutations of valid packets,
/// random bodies behind a valid header and pure random bytes. The fuzz targets' invariant checks
/// (slices inside the buffer, parse-again consistency, round trips) throw on any violation.
/// </summary>
public class RandomInputTests
{
    private const int Inputs = 100_000;

    [Fact]
    public void Stun_survives_100k_random_inputs() =>
        Run(new StunFuzzTarget(), 5769, StunSeeds(), StunHeader);

    [Fact]
    public void Rtp_survives_100k_random_inputs() =>
        Run(new RtpFuzzTarget(), 3550, [Rtp.RtpPacketTests.ChromeStyle, RtpWithEverything()], RtpHeader);

    [Fact]
    public void Rtp_extension_values_survive_100k_random_inputs() =>
        Run(new RtpExtensionValuesTarget(), 8285,
            [Rtp.RtpPacketTests.ChromeStyle, RtpWithEverything(), Hex.Parse("906f12350001e240deadbeef100000030702010202030600000101aa09080706")],
            RtpHeader);

    [Fact]
    public void Rtx_unwrapping_survives_100k_random_inputs() =>
        Run(new RtxFuzzTarget(), 4588,
            [Hex.Parse("90e100070000303900002222bede000130aabbccfffe010203"), Hex.Parse("a0610001000000010000222200050900 02".Replace(" ", "")),
             Rtp.RtpPacketTests.ChromeStyle],
            RtpHeader);

    [Fact]
    public void Congestion_control_survives_100k_random_inputs() =>
        Run(new CongestionFuzzTarget(), 8888,
            [Congestion.TransportFeedbackGeneratorTests.HandChecked, Hex.Parse("AFCD00060000000100000002000000040000020 0D180000401 1C0002".Replace(" ", "")),
             Hex.Parse("0001001000020010000400100003fff0ffff7fff")],
            RtcpHeader);

    [Fact]
    public void Rtcp_survives_100k_random_inputs() =>
        Run(new RtcpFuzzTarget(), 4585, RtcpSeeds(), RtcpHeader);

    [Fact]
    public void Demux_survives_100k_random_inputs() =>
        Run(new DemuxFuzzTarget(), 7983,
            [Stun.Rfc5769VectorTests.SampleRequest, Rtp.RtpPacketTests.ChromeStyle, Rtcp.RtcpCompoundTests.RrSdes, [22, 0xFE, 0xFD, 0, 0]],
            (random, body) => body[0] = (byte)random.Next(256));

    [Fact]
    public void Relay_survives_100k_random_inputs() =>
        Run(new RelayFuzzTarget(), 9443, [Relay.RelayPacketTests.Sample(), RelayKeepalive()], RelayHeader);

    private static void Run(IFuzzTarget target, int seed, byte[][] seeds, Action<Random, byte[]> structuredHeader)
    {
        var random = new Random(seed);
        var buffer = new byte[600];
        for (int n = 0; n < Inputs; n++)
        {
            int length;
            int mode = random.Next(100);
            if (mode < 50)
            {
                var source = seeds[random.Next(seeds.Length)];
                length = Mutate(random, source, buffer);
            }
            else if (mode < 75)
            {
                length = random.Next(4, 200);
                var body = new byte[length];
                random.NextBytes(body);
                structuredHeader(random, body);
                body.CopyTo(buffer, 0);
            }
            else
            {
                length = random.Next(0, 256);
                random.NextBytes(buffer.AsSpan(0, length));
            }
            var input = buffer.AsSpan(0, length).ToArray();
            try
            {
                target.Run(input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{target.Name} input #{n} ({Convert.ToHexString(input)}) threw: {e}");
            }
        }
    }

    private static int Mutate(Random random, byte[] source, byte[] destination)
    {
        source.CopyTo(destination, 0);
        int length = source.Length;
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && length > 0; m++)
        {
            int at = random.Next(length);
            switch (random.Next(7))
            {
                case 0: destination[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: destination[at] = (byte)random.Next(256); break;
                case 2: destination[at] = (byte)(new[] { 0x00, 0x01, 0x7F, 0x80, 0xFF, 0x10, 0x04 })[random.Next(7)]; break;
                case 3: length = random.Next(length + 1); break;
                case 4:
                    int extra = random.Next(1, 40);
                    random.NextBytes(destination.AsSpan(length, Math.Min(extra, destination.Length - length)));
                    length = Math.Min(length + extra, destination.Length);
                    break;
                case 5:
                    if (at + 2 <= length)
                        BinaryPrimitives.WriteUInt16BigEndian(destination.AsSpan(at), (ushort)random.Next(65536));
                    break;
                default:
                    if (at + 2 <= length)
                        BinaryPrimitives.WriteUInt16BigEndian(destination.AsSpan(at), (ushort)random.Next(64));
                    break;
            }
        }
        return length;
    }

    private static void StunHeader(Random random, byte[] body)
    {
        if (body.Length < 20)
            return;
        int length = (body.Length - 20) & ~3;
        BinaryPrimitives.WriteUInt16BigEndian(body, random.Next(2) == 0 ? (ushort)0x0001 : (ushort)random.Next(0x4000));
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(4), StunConstants.MagicCookie);
        // Random TLVs with plausible types and lengths.
        int offset = 20;
        while (offset + 4 <= 20 + length)
        {
            ushort[] types = [0x0006, 0x0008, 0x0009, 0x001C, 0x0020, 0x0024, 0x0025, 0x8028, 0x8029, 0x802A, 0x8022];
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(offset), types[random.Next(types.Length)]);
            int valueLength = random.Next(0, 36);
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(offset + 2), (ushort)valueLength);
            offset += 4 + ((valueLength + 3) & ~3);
        }
    }

    private static void RtpHeader(Random random, byte[] body)
    {
        body[0] = (byte)(0x80 | (random.Next(8) << 3) >> 0 & 0x3F | random.Next(4));
        if (body.Length >= 16 && random.Next(2) == 0)
        {
            body[0] = (byte)(0x90 | random.Next(3));
            int csrcEnd = 12 + 4 * (body[0] & 0x0F);
            if (csrcEnd + 4 <= body.Length)
            {
                BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(csrcEnd), random.Next(2) == 0 ? (ushort)0xBEDE : (ushort)0x1000);
                BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(csrcEnd + 2), (ushort)((body.Length - csrcEnd - 4) / 4 - random.Next(2)));
            }
        }
    }

    private static void RtcpHeader(Random random, byte[] body)
    {
        byte[] types = [200, 201, 202, 203, 204, 205, 206];
        body[0] = (byte)(0x80 | random.Next(32));
        body[1] = types[random.Next(types.Length)];
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)(body.Length / 4 - 1));
        if (body[1] is 205 or 206 && body.Length >= 20 && random.Next(2) == 0)
        {
            body[0] = (byte)(0x80 | (random.Next(2) == 0 ? 15 : random.Next(1, 5)));
            body[12] = (byte)'R';
            body[13] = (byte)'E';
            body[14] = (byte)'M';
            body[15] = (byte)'B';
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(14), (ushort)random.Next(40)); // TWCC status count
        }
    }

    private static void RelayHeader(Random random, byte[] body)
    {
        body[0] = random.Next(4) == 0 ? (byte)random.Next(4, 16) : MediaPlane.Relay.RelayPacketReader.Version1;
        if (body.Length > 3)
        {
            body[1] = (byte)random.Next(6);
            body[3] = random.Next(8) == 0 ? (byte)random.Next(256) : (byte)0;
        }
    }

    private static byte[] RelayKeepalive()
    {
        var buffer = new byte[MediaPlane.Relay.RelayPacketReader.Overhead];
        MediaPlane.Relay.RelayPacketWriter.TryWrite(buffer, Relay.RelayPacketTests.SampleHeader with { Kind = MediaPlane.Relay.RelayPacketKind.Keepalive },
            [], new MediaPlane.Relay.RelayAuthenticator("fuzz-relay-cluster-key"u8), out _);
        return buffer;
    }

    private static byte[][] StunSeeds()
    {
        var buffer = new byte[200];
        StunMessageWriter.TryCreate(buffer, 1, StunMessageClass.ErrorResponse, TransactionId.NewRandom(), out var writer);
        writer.TryAddErrorCode(401, "Unauthorized"u8);
        writer.TryAddXorMappedAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 1234);
        writer.TryAddUseCandidate();
        writer.TryAddIceControlling(5);
        writer.TryAddMessageIntegrity("fuzz-password"u8);
        writer.TryAddMessageIntegritySha256("fuzz-password"u8);
        writer.TryAddFingerprint();
        return
        [
            Stun.Rfc5769VectorTests.SampleRequest, Stun.Rfc5769VectorTests.SampleIPv4Response,
            Stun.Rfc5769VectorTests.SampleIPv6Response, Stun.Rfc5769VectorTests.LongTermRequest, writer.Written.ToArray(),
        ];
    }

    private static byte[] RtpWithEverything()
    {
        var buffer = new byte[100];
        var writer = new MediaPlane.Rtp.RtpPacketWriter(buffer);
        writer.TryBegin(true, 100, 1, 2, 3, [4, 5], MediaPlane.Rtp.RtpExtensionForm.TwoByte);
        writer.TryAddExtension(1, [1, 2, 3]);
        writer.TryAddExtension(44, []);
        writer.TryFinish([9, 8, 7], 4, out int written);
        return buffer.AsSpan(0, written).ToArray();
    }

    private static byte[][] RtcpSeeds()
    {
        var seeds = new List<byte[]> { Rtcp.RtcpCompoundTests.RrSdes, Rtcp.RtcpTransportFeedbackTests.Small };
        var buffer = new byte[400];
        RtcpSenderReport.TryWrite(buffer, 1, 2, 3, 4, 5, [new RtcpReportBlock(1, 2, -3, 4, 5, 6, 7)], out int n);
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        RtcpBye.TryWrite(buffer, [1, 2, 3], "bye"u8, out n);
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        RtcpApp.TryWrite(buffer, 1, 2, "ABCD"u8, [1, 2, 3, 4, 5, 6, 7, 8], out n);
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        RtcpGenericNack.TryWrite(buffer, 1, 2, [10, 11, 30, 65535, 3], out n);
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        RtcpPictureLossIndication.TryWrite(buffer, 1, 2, out n);
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        RtcpFullIntraRequest.TryWrite(buffer, 1, [2, 3], [4, 5], out n);
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        RtcpRemb.TryWrite(buffer, 1, 3_000_000, [7, 8], out n);
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        var arrivals = Enumerable.Range(0, 60).Where(i => i % 5 != 2)
            .Select(i => new TwccArrival((ushort)(65530 + i), 1_000_000 + i * (i == 30 ? -400 : 900))).ToArray();
        RtcpTransportFeedback.TryWrite(buffer, 1, 2, 3, arrivals, out n).Should().BeTrue();
        seeds.Add(buffer.AsSpan(0, n).ToArray());
        return seeds.ToArray();
    }
}
