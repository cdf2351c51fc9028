using System.Buffers.Binary;
using MediaPlane.Srtp;

namespace MediaPlane.Tests.Srtp;

public class SrtpSessionTests
{
    public static TheoryData<SrtpProfile> Profiles => new()
    {
        SrtpProfile.AesCm128HmacSha1_80,
        SrtpProfile.AesCm128HmacSha1_32,
        SrtpProfile.AeadAes128Gcm,
        SrtpProfile.AeadAes256Gcm,
    };

    private static (SrtpSession Sender, SrtpSession Receiver) Pair(SrtpProfile profile, int maxSsrcs = SrtpSession.DefaultMaxSsrcs)
    {
        var key = new byte[profile.MasterKeyLength()];
        var salt = new byte[profile.MasterSaltLength()];
        new Random(7).NextBytes(key);
        new Random(8).NextBytes(salt);
        return (new SrtpSession(profile, key, salt, maxSsrcs), new SrtpSession(profile, key, salt, maxSsrcs));
    }

    private static byte[] Rtp(ushort seq, uint ssrc = 0x11223344, int payload = 100, int csrcs = 0, int extensionWords = 0)
    {
        int header = 12 + 4 * csrcs + (extensionWords > 0 ? 4 + 4 * extensionWords : 0);
        var packet = new byte[header + payload];
        packet[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcs);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 90000u * seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        if (extensionWords > 0)
        {
            int at = 12 + 4 * csrcs;
            packet[at] = 0xBE;
            packet[at + 1] = 0xDE;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)extensionWords);
        }
        for (int i = header; i < packet.Length; i++)
            packet[i] = (byte)(i * 7 + seq);
        return packet;
    }

    private static byte[] Rtcp(uint ssrc = 0x55667788, int length = 52)
    {
        var packet = new byte[length];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(length / 4 - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        for (int i = 8; i < length; i++)
            packet[i] = (byte)i;
        return packet;
    }

    private static byte[] Protect(SrtpSession session, byte[] plain, bool rtcp = false)
    {
        var buffer = new byte[plain.Length + 64];
        plain.CopyTo(buffer, 0);
        int length;
        (rtcp ? session.TryProtectRtcp(buffer, plain.Length, out length) : session.TryProtectRtp(buffer, plain.Length, out length))
            .Should().BeTrue();
        return buffer[..length];
    }

    private static SrtpError Unprotect(SrtpSession session, byte[] packet, out byte[] plain, bool rtcp = false)
    {
        var copy = (byte[])packet.Clone();
        int length;
        var error = rtcp ? session.UnprotectRtcp(copy, copy.Length, out length) : session.UnprotectRtp(copy, copy.Length, out length);
        plain = copy[..length];
        return error;
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtp_RoundTrips_WithCsrcsAndExtension(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            foreach (var plain in new[] { Rtp(1), Rtp(2, payload: 0), Rtp(3, csrcs: 2, extensionWords: 3), Rtp(4, payload: 1200), Rtp(5, payload: 1) })
            {
                var packet = Protect(sender, plain);
                packet.Length.Should().Be(plain.Length + profile.RtpAuthTagLength());
                packet.AsSpan(0, 12).ToArray().Should().Equal(plain.AsSpan(0, 12).ToArray(), "the header stays in the clear");
                if (plain.Length > 40)
                    packet.AsSpan(30, 10).ToArray().Should().NotEqual(plain.AsSpan(30, 10).ToArray(), "the payload is encrypted");
                Unprotect(receiver, packet, out var back).Should().Be(SrtpError.None);
                back.Should().Equal(plain);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtcp_RoundTrips(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            for (int i = 0; i < 5; i++)
            {
                var plain = Rtcp(length: 8 + 4 * i * 5);
                var packet = Protect(sender, plain, rtcp: true);
                packet.Length.Should().Be(plain.Length + profile.RtcpOverhead());
                Unprotect(receiver, packet, out var back, rtcp: true).Should().Be(SrtpError.None);
                back.Should().Equal(plain);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Tampering_AnyByte_FailsAuthentication(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var packet = Protect(sender, Rtp(10, payload: 40));
            for (int i = 0; i < packet.Length; i++)
            {
                var bad = (byte[])packet.Clone();
                bad[i] ^= 0x04;
                var error = Unprotect(receiver, bad, out _);
                error.Should().NotBe(SrtpError.None, $"byte {i} was flipped");
            }
            Unprotect(receiver, packet, out _).Should().Be(SrtpError.None);

            var rtcp = Protect(sender, Rtcp(), rtcp: true);
            for (int i = 0; i < rtcp.Length; i++)
            {
                var bad = (byte[])rtcp.Clone();
                bad[i] ^= 0x20;
                Unprotect(receiver, bad, out _, rtcp: true).Should().NotBe(SrtpError.None, $"RTCP byte {i} was flipped");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Replay_IsRejected_ForRtpAndRtcp(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var first = Protect(sender, Rtp(100));
            var second = Protect(sender, Rtp(101));
            Unprotect(receiver, first, out _).Should().Be(SrtpError.None);
            Unprotect(receiver, second, out _).Should().Be(SrtpError.None);
            Unprotect(receiver, first, out _).Should().Be(SrtpError.Replay);
            Unprotect(receiver, second, out _).Should().Be(SrtpError.Replay);

            var rtcp = Protect(sender, Rtcp(), rtcp: true);
            Unprotect(receiver, rtcp, out _, rtcp: true).Should().Be(SrtpError.None);
            Unprotect(receiver, rtcp, out _, rtcp: true).Should().Be(SrtpError.Replay);
        }
    }

    [Fact]
    public void Replay_Window_AcceptsReorderedWithin128_RejectsOlder()
    {
        var (sender, receiver) = Pair(SrtpProfile.AeadAes128Gcm);
        using (sender)
        using (receiver)
        {
            var packets = Enumerable.Range(0, 300).Select(i => Protect(sender, Rtp((ushort)(1000 + i)))).ToArray();
            Unprotect(receiver, packets[200], out _).Should().Be(SrtpError.None);
            Unprotect(receiver, packets[73], out _).Should().Be(SrtpError.None, "127 behind the highest is inside the window");
            Unprotect(receiver, packets[72], out _).Should().Be(SrtpError.Replay, "128 behind is outside");
            Unprotect(receiver, packets[150], out _).Should().Be(SrtpError.None);
            Unprotect(receiver, packets[150], out _).Should().Be(SrtpError.Replay);
            Unprotect(receiver, packets[299], out _).Should().Be(SrtpError.None);
            Unprotect(receiver, packets[200], out _).Should().Be(SrtpError.Replay);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void RolloverCounter_AdvancesAcrossSeqWrap_WithReordering(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            // Sender walks 65500 .. 65535, 0 .. 60 (ROC 0 then 1), then a second wrap later.
            var seqs = Enumerable.Range(65500, 36).Concat(Enumerable.Range(0, 60)).Select(s => (ushort)s).ToArray();
            var packets = seqs.Select(s => Protect(sender, Rtp(s))).ToArray();

            // Deliver with reordering around the wrap: 0..9 before 65530..65535.
            var order = Enumerable.Range(0, 30).Concat(Enumerable.Range(36, 10)).Concat(Enumerable.Range(30, 6))
                .Concat(Enumerable.Range(46, 50)).ToArray();
            order.Should().HaveCount(packets.Length);
            foreach (int i in order)
            {
                Unprotect(receiver, packets[i], out var plain).Should().Be(SrtpError.None, $"seq {seqs[i]}");
                plain.Should().Equal(Rtp(seqs[i]));
            }
        }
    }

    [Fact]
    public void RolloverCounter_SecondWrap_AndLossOfManyPackets()
    {
        var (sender, receiver) = Pair(SrtpProfile.AesCm128HmacSha1_80);
        using (sender)
        using (receiver)
        {
            // Send a packet every 20000 sequence numbers for three wraps; the receiver sees all of them.
            for (int n = 0; n < 12; n++)
            {
                var packet = Protect(sender, Rtp((ushort)(n * 20000)));
                Unprotect(receiver, packet, out var plain).Should().Be(SrtpError.None, $"packet {n}");
                plain.Should().Equal(Rtp((ushort)(n * 20000)));
            }
        }
    }

    [Fact]
    public void IndexEstimation_FollowsAppendixA()
    {
        var state = new SrtpStreamState();
        state.EstimateIndex(500, out uint v).Should().Be(500);
        state.Update(500, v);

        state.EstimateIndex(501, out v).Should().Be(501);
        v.Should().Be(0u);
        state.EstimateIndex(65000, out _).Should().Be(-1, "ROC - 1 below zero is before the stream");

        state.Roc = 5;
        state.HighestSeq = 65000;
        state.EstimateIndex(10, out v).Should().Be((6L << 16) | 10);
        v.Should().Be(6u);
        state.EstimateIndex(64000, out v).Should().Be((5L << 16) | 64000);

        state.HighestSeq = 100;
        state.EstimateIndex(65500, out v).Should().Be((4L << 16) | 65500);
        v.Should().Be(4u);
        state.Update(65500, 4);
        state.Roc.Should().Be(5u, "an older packet does not move ROC back");
        state.HighestSeq.Should().Be((ushort)100);

        state.HighestSeq = 40000;
        state.Update(40001, 5);
        state.HighestSeq.Should().Be((ushort)40001);
        state.Update(5, 6);
        state.Roc.Should().Be(6u);
        state.HighestSeq.Should().Be((ushort)5);
    }

    [Fact]
    public void NewSsrcs_AreCapped_AndUnauthenticatedPacketsCreateNoState()
    {
        var (sender, receiver) = Pair(SrtpProfile.AesCm128HmacSha1_80, maxSsrcs: 4);
        using (sender)
        using (receiver)
        {
            var forged = Protect(sender, Rtp(1, ssrc: 99));
            forged[^1] ^= 1;
            sender.RemoveSsrc(99).Should().BeTrue();
            Unprotect(receiver, forged, out _).Should().Be(SrtpError.AuthFailed);
            receiver.SsrcCount.Should().Be(0);

            for (uint ssrc = 1; ssrc <= 4; ssrc++)
                Unprotect(receiver, Protect(sender, Rtp(1, ssrc)), out _).Should().Be(SrtpError.None);
            receiver.SsrcCount.Should().Be(4);

            var buffer = new byte[200];
            Rtp(1, ssrc: 5).CopyTo(buffer, 0);
            sender.TryProtectRtp(buffer, 112, out _).Should().BeFalse("the sender is capped too");
            receiver.RemoveSsrc(1).Should().BeTrue();
            sender.RemoveSsrc(1).Should().BeTrue();
            Unprotect(receiver, Protect(sender, Rtp(1, ssrc: 5)), out _).Should().Be(SrtpError.None);
        }
    }

    [Fact]
    public void Context_PairsClientAndServerKeys()
    {
        var material = SrtpKeyingMaterial.FromExporterOutput(SrtpProfile.AeadAes128Gcm,
            Enumerable.Range(0, SrtpKeyingMaterial.ExporterLength(SrtpProfile.AeadAes128Gcm)).Select(i => (byte)i).ToArray());
        using var client = SrtpContext.Create(material, localIsDtlsClient: true);
        using var server = SrtpContext.Create(material, localIsDtlsClient: false);

        var buffer = new byte[200];
        var plain = Rtp(9);
        plain.CopyTo(buffer, 0);
        client.TryProtectRtp(buffer, plain.Length, out int length).Should().BeTrue();
        var copy = buffer[..length];
        client.UnprotectRtp(copy, length, out _).Should().Be(SrtpError.AuthFailed, "the client cannot read its own direction");
        server.UnprotectRtp(buffer, length, out int plainLength).Should().Be(SrtpError.None);
        buffer[..plainLength].Should().Equal(plain);

        var rtcp = Rtcp();
        rtcp.CopyTo(buffer, 0);
        server.TryProtectRtcp(buffer, rtcp.Length, out length).Should().BeTrue();
        client.UnprotectRtcp(buffer, length, out plainLength).Should().Be(SrtpError.None);
        buffer[..plainLength].Should().Equal(rtcp);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ShortOrMalformedPackets_ReturnErrors(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            receiver.UnprotectRtp(new byte[5], 5, out _).Should().Be(SrtpError.TooShort);
            receiver.UnprotectRtp(new byte[40], 41, out _).Should().Be(SrtpError.TooShort);
            var v1 = Protect(sender, Rtp(3));
            v1[0] = 0x40;
            receiver.UnprotectRtp(v1, v1.Length, out _).Should().Be(SrtpError.InvalidHeader);
            var csrcOverrun = new byte[40];
            csrcOverrun[0] = 0x8F;
            receiver.UnprotectRtp(csrcOverrun, 40, out _).Should().Be(SrtpError.InvalidHeader);
            receiver.UnprotectRtcp(new byte[10], 10, out _).Should().Be(SrtpError.TooShort);
            sender.TryProtectRtp(new byte[20], 12, out _).Should().BeFalse("no room for the tag");
            sender.TryProtectRtcp(new byte[12], 8, out _).Should().BeFalse("no room for the trailer");
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ProtectAndUnprotect_AllocateNothingPerPacket(SrtpProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var plain = Rtp(1, payload: 1200);
            var buffer = new byte[1300];
            void RoundTrip(ushort seq)
            {
                plain.CopyTo(buffer, 0);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), seq);
                sender.TryProtectRtp(buffer, plain.Length, out int length);
                receiver.UnprotectRtp(buffer, length, out _);
                sender.TryProtectRtcp(buffer, 100, out length);
                receiver.UnprotectRtcp(buffer, length, out _);
            }
            ushort sequence = 1;
            SteadyStateAllocations.Measure(() => RoundTrip(sequence++)).Should().Be(0);
        }
    }
}
