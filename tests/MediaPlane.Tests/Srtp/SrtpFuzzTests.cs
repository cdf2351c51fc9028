using System.Buffers.Binary;
using MediaPlane.Srtp;

namespace MediaPlane.Tests.Srtp;

/// <summary>Seeded random inputs to UnprotectRtp/UnprotectRtcp: mutations of valid packets and pure noise; none may throw.</summary>
public class SrtpFuzzTests
{
    private const int Inputs = 100_000;

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_32)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    [InlineData(SrtpProfile.AeadAes256Gcm)]
    public void Unprotect_RandomAndMutatedInput_NeverThrows(SrtpProfile profile)
    {
        var random = new Random(20260 + (int)profile);
        var key = new byte[profile.MasterKeyLength()];
        var salt = new byte[profile.MasterSaltLength()];
        random.NextBytes(key);
        random.NextBytes(salt);
        using var sender = new SrtpSession(profile, key, salt);
        using var receiver = new SrtpSession(profile, key, salt, maxSsrcs: 8);

        // A pool of valid protected packets to mutate.
        var validRtp = new List<byte[]>();
        var validRtcp = new List<byte[]>();
        var buffer = new byte[512];
        for (int i = 0; i < 32; i++)
        {
            int length = 12 + random.Next(0, 200);
            random.NextBytes(buffer.AsSpan(0, length));
            buffer[0] = (byte)(0x80 | (buffer[0] & 0x2F & ~0x0F));
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), (uint)(i % 4));
            if (sender.TryProtectRtp(buffer, length, out int protectedLength))
                validRtp.Add(buffer[..protectedLength]);
            length = 8 + random.Next(0, 100);
            random.NextBytes(buffer.AsSpan(0, length));
            buffer[0] = 0x81;
            if (sender.TryProtectRtcp(buffer, length, out protectedLength))
                validRtcp.Add(buffer[..protectedLength]);
        }
        validRtp.Should().NotBeEmpty();
        validRtcp.Should().NotBeEmpty();

        var counts = new int[Enum.GetValues<SrtpError>().Length];
        var work = new byte[512];
        for (int i = 0; i < Inputs; i++)
        {
            bool rtcp = (i & 1) == 1;
            int length = Next(random, rtcp ? validRtcp : validRtp, work);
            var span = work.AsSpan(0, length);
            var error = rtcp ? receiver.UnprotectRtcp(span, length, out int plain) : receiver.UnprotectRtp(span, length, out plain);
            counts[(int)error]++;
            if (error == SrtpError.None)
                plain.Should().BeLessThan(length);
        }
        counts.Sum().Should().Be(Inputs);
        counts[(int)SrtpError.AuthFailed].Should().BeGreaterThan(0);
        receiver.SsrcCount.Should().BeLessThanOrEqualTo(8);
    }

    private static int Next(Random random, List<byte[]> valid, byte[] work)
    {
        switch (random.Next(4))
        {
            case 0: // pure noise
            {
                int length = random.Next(0, 300);
                random.NextBytes(work.AsSpan(0, length));
                return length;
            }
            case 1: // noise with a plausible first byte
            {
                int length = random.Next(0, 300);
                random.NextBytes(work.AsSpan(0, length));
                if (length > 0)
                    work[0] = (byte)(0x80 | (work[0] & 0x3F));
                return length;
            }
            default: // a valid packet, bit-flipped, truncated or extended
            {
                var source = valid[random.Next(valid.Count)];
                int length = source.Length;
                source.CopyTo(work, 0);
                int flips = random.Next(0, 4);
                for (int f = 0; f < flips; f++)
                    work[random.Next(length)] ^= (byte)(1 << random.Next(8));
                int change = random.Next(3);
                if (change == 1)
                    length = random.Next(0, length + 1);
                else if (change == 2)
                {
                    int extra = random.Next(1, 40);
                    random.NextBytes(work.AsSpan(length, extra));
                    length += extra;
                }
                return length;
            }
        }
    }
}
