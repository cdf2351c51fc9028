using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MediaPlane.Srtp;

namespace Benchmarks.Srtp;

/// <summary>
/// SRTP on one 1,212-byte RTP packet (12-byte header + 1,200 payload), per profile, three ways:
///  - Ours: <see cref="SrtpSession"/>;
///  - LibSrtp: Debian's libsrtp2 (srtp_protect / srtp_unprotect);
///  - OpenSsl: the raw cipher+MAC work in OpenSSL 3 with no SRTP logic (the baseline, Ratio = 1):
///    GCM: seal 1,200 bytes with 12 bytes AAD + 16-byte tag; AES-CM: AES-128-CTR over 1,200 bytes plus
///    HMAC-SHA1 over 1,212 + 4 bytes (HMAC_CTX re-initialised with the same key each time).
///
/// Every call protects a fresh packet with the next sequence number (both SRTP stacks refuse to protect
/// or accept an index twice). Unprotect cannot be measured alone without resetting or disabling replay
/// protection, which libsrtp does not allow, so "RoundTrip" = copy + protect + unprotect of the same packet
/// by a sender and a receiver session (for OpenSSL: seal + open, or CTR + HMAC + HMAC-verify + CTR).
/// Unprotect cost = RoundTrip - Protect. Each op also copies the 1,212-byte plain packet into the work buffer.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public unsafe class SrtpBenchmarks
{
    private const int PayloadLength = 1200;
    private const int PacketLength = 12 + PayloadLength;

    [Params(SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AesCm128HmacSha1_32, SrtpProfile.AeadAes128Gcm, SrtpProfile.AeadAes256Gcm)]
    public SrtpProfile Profile { get; set; }

    private readonly byte[] _plain = new byte[PacketLength];
    private byte* _work; // pinned for the native paths
    private ushort _seq;

    private SrtpSession _oursSender = null!;
    private SrtpSession _oursReceiver = null!;
    private nint _srtpSender;
    private nint _srtpReceiver;

    private nint _seal;
    private nint _open;
    private nint _ctr;
    private nint _hmac;
    private readonly byte[] _rawKey = new byte[32];
    private readonly byte[] _rawIv = new byte[16];

    [GlobalSetup]
    public void Setup()
    {
        _work = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(2048, 64);
        var random = new Random(1);
        random.NextBytes(_plain);
        _plain[0] = 0x80;
        _plain[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_plain.AsSpan(8), 0x12345678);
        var key = new byte[Profile.MasterKeyLength()];
        var salt = new byte[Profile.MasterSaltLength()];
        random.NextBytes(key);
        random.NextBytes(salt);

        _oursSender = new SrtpSession(Profile, key, salt);
        _oursReceiver = new SrtpSession(Profile, key, salt);
        _srtpSender = CreateLibSrtp(key, salt, LibSrtp2.SsrcAnyOutbound);
        _srtpReceiver = CreateLibSrtp(key, salt, LibSrtp2.SsrcAnyInbound);
        CheckInterop();

        random.NextBytes(_rawKey);
        random.NextBytes(_rawIv);
        fixed (byte* k = _rawKey)
        {
            if (Profile.IsAead())
            {
                nint cipher = Profile == SrtpProfile.AeadAes128Gcm ? OpenSsl.Aes128Gcm() : OpenSsl.Aes256Gcm();
                _seal = OpenSsl.CipherCtxNew();
                _open = OpenSsl.CipherCtxNew();
                OpenSsl.CipherInitEx(_seal, cipher, 0, k, null, 1);
                OpenSsl.CipherInitEx(_open, cipher, 0, k, null, 0);
            }
            else
            {
                _ctr = OpenSsl.CipherCtxNew();
                OpenSsl.CipherInitEx(_ctr, OpenSsl.Aes128Ctr(), 0, k, null, 1);
                _hmac = OpenSsl.HmacCtxNew();
                OpenSsl.HmacInitEx(_hmac, k, 20, OpenSsl.Sha1(), 0);
            }
        }
        if (!RawRoundTrip())
            throw new InvalidOperationException("OpenSSL raw round trip failed.");
    }

    private static bool s_srtpInitialized;

    private nint CreateLibSrtp(byte[] key, byte[] salt, int direction)
    {
        if (!s_srtpInitialized)
        {
            int status = LibSrtp2.Init();
            if (status != 0)
                throw new InvalidOperationException($"srtp_init failed: {status}");
            s_srtpInitialized = true;
        }
        var keyAndSalt = key.Concat(salt).ToArray();
        var policy = new LibSrtp2.Policy { SsrcType = direction, WindowSize = 128 };
        LibSrtp2.PolicyForRtp(&policy.Rtp, (int)Profile);
        LibSrtp2.PolicyForRtcp(&policy.Rtcp, (int)Profile);
        nint session;
        fixed (byte* k = keyAndSalt)
        {
            policy.Key = k;
            if (LibSrtp2.Create(&session, &policy) != 0)
                throw new InvalidOperationException("srtp_create failed");
        }
        return session;
    }

    /// <summary>Ours and libsrtp must read each other's packets (checks KDF, IV, AAD and tag placement).</summary>
    private void CheckInterop()
    {
        var buffer = new byte[2048];
        for (int i = 0; i < 3; i++)
        {
            _plain.CopyTo(buffer, 0);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), _seq++);
            if (!_oursSender.TryProtectRtp(buffer, PacketLength, out int length))
                throw new InvalidOperationException("protect failed");
            int len = length;
            fixed (byte* p = buffer)
            {
                int status = LibSrtp2.Unprotect(_srtpReceiver, p, &len);
                if (status != 0 || len != PacketLength || !buffer.AsSpan(12, PayloadLength).SequenceEqual(_plain.AsSpan(12)))
                    throw new InvalidOperationException($"libsrtp could not unprotect our packet: {status}");
            }
            _plain.CopyTo(buffer, 0);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), _seq++);
            len = PacketLength;
            fixed (byte* p = buffer)
            {
                if (LibSrtp2.Protect(_srtpSender, p, &len) != 0)
                    throw new InvalidOperationException("srtp_protect failed");
            }
            var error = _oursReceiver.UnprotectRtp(buffer, len, out int plain);
            if (error != SrtpError.None || plain != PacketLength || !buffer.AsSpan(12, PayloadLength).SequenceEqual(_plain.AsSpan(12)))
                throw new InvalidOperationException($"we could not unprotect libsrtp's packet: {error}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oursSender.Dispose();
        _oursReceiver.Dispose();
        LibSrtp2.Dealloc(_srtpSender);
        LibSrtp2.Dealloc(_srtpReceiver);
        if (_seal != 0) OpenSsl.CipherCtxFree(_seal);
        if (_open != 0) OpenSsl.CipherCtxFree(_open);
        if (_ctr != 0) OpenSsl.CipherCtxFree(_ctr);
        if (_hmac != 0) OpenSsl.HmacCtxFree(_hmac);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_work);
    }

    private Span<byte> NextPacket()
    {
        var work = new Span<byte>(_work, 2048);
        _plain.CopyTo(work);
        BinaryPrimitives.WriteUInt16BigEndian(work[2..], ++_seq);
        return work;
    }

    [Benchmark(Description = "Ours")]
    [BenchmarkCategory("Protect")]
    public int OursProtect()
    {
        _oursSender.TryProtectRtp(NextPacket(), PacketLength, out int length);
        return length;
    }

    [Benchmark(Description = "libsrtp2")]
    [BenchmarkCategory("Protect")]
    public int LibSrtpProtect()
    {
        NextPacket();
        int length = PacketLength;
        LibSrtp2.Protect(_srtpSender, _work, &length);
        return length;
    }

    [Benchmark(Baseline = true, Description = "OpenSSL raw")]
    [BenchmarkCategory("Protect")]
    public int OpenSslProtect()
    {
        NextPacket();
        return RawSeal();
    }

    [Benchmark(Description = "Ours")]
    [BenchmarkCategory("RoundTrip")]
    public int OursRoundTrip()
    {
        var work = NextPacket();
        _oursSender.TryProtectRtp(work, PacketLength, out int length);
        _oursReceiver.UnprotectRtp(work, length, out int plain);
        return plain;
    }

    [Benchmark(Description = "libsrtp2")]
    [BenchmarkCategory("RoundTrip")]
    public int LibSrtpRoundTrip()
    {
        NextPacket();
        int length = PacketLength;
        LibSrtp2.Protect(_srtpSender, _work, &length);
        LibSrtp2.Unprotect(_srtpReceiver, _work, &length);
        return length;
    }

    [Benchmark(Baseline = true, Description = "OpenSSL raw")]
    [BenchmarkCategory("RoundTrip")]
    public bool OpenSslRoundTrip()
    {
        NextPacket();
        return RawRoundTrip();
    }

    private int RawSeal()
    {
        int outLength;
        byte* p = _work;
        fixed (byte* iv = _rawIv)
        {
            if (_seal != 0)
            {
                OpenSsl.CipherInitEx(_seal, 0, 0, null, iv, -1);
                OpenSsl.CipherUpdate(_seal, null, &outLength, p, 12);
                OpenSsl.CipherUpdate(_seal, p + 12, &outLength, p + 12, PayloadLength);
                OpenSsl.CipherFinalEx(_seal, p + PacketLength, &outLength);
                OpenSsl.CipherCtxCtrl(_seal, 0x10, 16, p + PacketLength);
                return PacketLength + 16;
            }
            OpenSsl.CipherInitEx(_ctr, 0, 0, null, iv, -1);
            OpenSsl.CipherUpdate(_ctr, p + 12, &outLength, p + 12, PayloadLength);
            uint macLength;
            byte* mac = stackalloc byte[20];
            *(uint*)(p + PacketLength) = 0; // the ROC
            OpenSsl.HmacInitEx(_hmac, null, 0, 0, 0);
            OpenSsl.HmacUpdate(_hmac, p, PacketLength + 4);
            OpenSsl.HmacFinal(_hmac, mac, &macLength);
            Buffer.MemoryCopy(mac, p + PacketLength, 10, 10);
            return PacketLength + 10;
        }
    }

    private bool RawRoundTrip()
    {
        RawSeal();
        int outLength;
        byte* p = _work;
        byte* mac = stackalloc byte[20];
        fixed (byte* iv = _rawIv)
        {
            if (_open != 0)
            {
                OpenSsl.CipherInitEx(_open, 0, 0, null, iv, -1);
                OpenSsl.CipherUpdate(_open, null, &outLength, p, 12);
                OpenSsl.CipherUpdate(_open, p + 12, &outLength, p + 12, PayloadLength);
                OpenSsl.CipherCtxCtrl(_open, 0x11, 16, p + PacketLength);
                return OpenSsl.CipherFinalEx(_open, mac, &outLength) == 1;
            }
            uint macLength;
            byte* received = stackalloc byte[10];
            Buffer.MemoryCopy(p + PacketLength, received, 10, 10);
            *(uint*)(p + PacketLength) = 0; // the ROC
            OpenSsl.HmacInitEx(_hmac, null, 0, 0, 0);
            OpenSsl.HmacUpdate(_hmac, p, PacketLength + 4);
            OpenSsl.HmacFinal(_hmac, mac, &macLength);
            bool ok = new ReadOnlySpan<byte>(mac, 10).SequenceEqual(new ReadOnlySpan<byte>(received, 10));
            OpenSsl.CipherInitEx(_ctr, 0, 0, null, iv, -1);
            OpenSsl.CipherUpdate(_ctr, p + 12, &outLength, p + 12, PayloadLength);
            return ok;
        }
    }
}
