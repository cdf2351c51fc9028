using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace MediaPlane.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): counter block j is the 128-bit IV with j
/// in its low 16 bits. SRTP IVs always end in two zero octets (they are (salt ^ ...) * 2^16), so the
/// block index is written into those octets; at most 2^16 blocks (1 MiB) per call.
/// With AES-NI the keystream is computed in registers, eight blocks at a time, and XORed into the data
/// in place; otherwise counter blocks are encrypted with one ECB call per chunk. Holds its own key
/// schedule and scratch; one instance per session key, not thread-safe.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int MaxBlocks = 65536;
    private const int FallbackChunkBlocks = 128;

    private readonly Vector128<byte>[] _roundKeys;
    private readonly int _rounds;
    private readonly System.Security.Cryptography.Aes? _fallback;
    private readonly byte[]? _fallbackScratch;

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 32))
            throw new ArgumentException("AES-CM key must be 128 or 256 bits.", nameof(key));
        _rounds = key.Length == 16 ? 10 : 14;
        _roundKeys = new Vector128<byte>[_rounds + 1];
        if (X86Aes.IsSupported)
        {
            if (key.Length == 16)
                ExpandKey128(key, _roundKeys);
            else
                ExpandKey256(key, _roundKeys);
        }
        else
        {
            _fallback = System.Security.Cryptography.Aes.Create();
            _fallback.Key = key.ToArray();
            _fallbackScratch = new byte[2 * FallbackChunkBlocks * 16];
        }
    }

    /// <summary>XORs <paramref name="data"/> with the keystream that starts at counter block <paramref name="iv"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != 16)
            throw new ArgumentException("IV must be 16 bytes.", nameof(iv));
        if (data.Length > MaxBlocks * 16)
            throw new ArgumentException("At most 2^16 blocks per call.", nameof(data));
        if (_fallback is null)
            TransformAesNi(Vector128.Create(iv), data);
        else
            TransformFallback(iv, data);
    }

    // Counter block j: IV with j big-endian in octets 14..15 (those octets are zero in SRTP IVs).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Counter(Vector128<byte> iv, int j) =>
        iv ^ Vector128.Create(0UL, ((ulong)(uint)(j & 0xFF) << 56) | ((ulong)(uint)((j >> 8) & 0xFF) << 48)).AsByte();

    private void TransformAesNi(Vector128<byte> iv, Span<byte> data)
    {
        ReadOnlySpan<Vector128<byte>> rk = _roundKeys;
        int rounds = _rounds;
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int offset = 0;
        int j = 0;

        while (length - offset >= 128)
        {
            var k0 = rk[0];
            var b0 = Counter(iv, j) ^ k0;
            var b1 = Counter(iv, j + 1) ^ k0;
            var b2 = Counter(iv, j + 2) ^ k0;
            var b3 = Counter(iv, j + 3) ^ k0;
            var b4 = Counter(iv, j + 4) ^ k0;
            var b5 = Counter(iv, j + 5) ^ k0;
            var b6 = Counter(iv, j + 6) ^ k0;
            var b7 = Counter(iv, j + 7) ^ k0;
            for (int r = 1; r < rounds; r++)
            {
                var k = rk[r];
                b0 = X86Aes.Encrypt(b0, k);
                b1 = X86Aes.Encrypt(b1, k);
                b2 = X86Aes.Encrypt(b2, k);
                b3 = X86Aes.Encrypt(b3, k);
                b4 = X86Aes.Encrypt(b4, k);
                b5 = X86Aes.Encrypt(b5, k);
                b6 = X86Aes.Encrypt(b6, k);
                b7 = X86Aes.Encrypt(b7, k);
            }
            var kl = rk[rounds];
            ref byte q = ref Unsafe.Add(ref p, offset);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b0, kl) ^ Vector128.LoadUnsafe(ref q, 0), ref q, 0);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b1, kl) ^ Vector128.LoadUnsafe(ref q, 16), ref q, 16);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b2, kl) ^ Vector128.LoadUnsafe(ref q, 32), ref q, 32);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b3, kl) ^ Vector128.LoadUnsafe(ref q, 48), ref q, 48);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b4, kl) ^ Vector128.LoadUnsafe(ref q, 64), ref q, 64);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b5, kl) ^ Vector128.LoadUnsafe(ref q, 80), ref q, 80);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b6, kl) ^ Vector128.LoadUnsafe(ref q, 96), ref q, 96);
            Vector128.StoreUnsafe(X86Aes.EncryptLast(b7, kl) ^ Vector128.LoadUnsafe(ref q, 112), ref q, 112);
            offset += 128;
            j += 8;
        }

        while (offset < length)
        {
            var b = Counter(iv, j) ^ rk[0];
            for (int r = 1; r < rounds; r++)
                b = X86Aes.Encrypt(b, rk[r]);
            b = X86Aes.EncryptLast(b, rk[rounds]);
            int n = length - offset;
            ref byte q = ref Unsafe.Add(ref p, offset);
            if (n >= 16)
            {
                Vector128.StoreUnsafe(b ^ Vector128.LoadUnsafe(ref q), ref q);
                offset += 16;
            }
            else
            {
                for (int i = 0; i < n; i++)
                    Unsafe.Add(ref q, i) ^= b.GetElement(i);
                offset = length;
            }
            j++;
        }
    }

    private void TransformFallback(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var counters = _fallbackScratch.AsSpan(0, FallbackChunkBlocks * 16);
        var keystream = _fallbackScratch.AsSpan(FallbackChunkBlocks * 16);
        int block = 0;
        for (int offset = 0; offset < data.Length; offset += FallbackChunkBlocks * 16)
        {
            int n = Math.Min(FallbackChunkBlocks * 16, data.Length - offset);
            int blocks = (n + 15) / 16;
            for (int b = 0; b < blocks; b++, block++)
            {
                var c = counters.Slice(b * 16, 16);
                iv.CopyTo(c);
                c[14] ^= (byte)(block >> 8);
                c[15] ^= (byte)block;
            }
            _fallback!.EncryptEcb(counters[..(blocks * 16)], keystream, System.Security.Cryptography.PaddingMode.None);
            var d = data.Slice(offset, n);
            int i = 0;
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector128.Create(d.Slice(i, 16)) ^ Vector128.Create(keystream.Slice(i, 16));
                v.CopyTo(d.Slice(i, 16));
            }
            for (; i < n; i++)
                d[i] ^= keystream[i];
        }
    }

    // FIPS 197 §5.2 key expansion with AESKEYGENASSIST.
    private static void ExpandKey128(ReadOnlySpan<byte> key, Vector128<byte>[] rk)
    {
        var k = Vector128.Create(key);
        rk[0] = k;
        ReadOnlySpan<byte> rcon = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36];
        for (int i = 1; i <= 10; i++)
        {
            var t = KeygenAssist(k, rcon[i - 1]);
            t = Vector128.Shuffle(t.AsUInt32(), Vector128.Create(3u, 3u, 3u, 3u)).AsByte();
            k = SpreadXor(k) ^ t;
            rk[i] = k;
        }
    }

    private static void ExpandKey256(ReadOnlySpan<byte> key, Vector128<byte>[] rk)
    {
        var a = Vector128.Create(key[..16]);
        var b = Vector128.Create(key.Slice(16, 16));
        rk[0] = a;
        rk[1] = b;
        ReadOnlySpan<byte> rcon = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40];
        for (int i = 2, c = 0; i < 15; i += 2, c++)
        {
            var t = KeygenAssist(b, rcon[c]);
            t = Vector128.Shuffle(t.AsUInt32(), Vector128.Create(3u, 3u, 3u, 3u)).AsByte();
            a = SpreadXor(a) ^ t;
            rk[i] = a;
            if (i + 1 < 15)
            {
                t = KeygenAssist(a, 0);
                t = Vector128.Shuffle(t.AsUInt32(), Vector128.Create(2u, 2u, 2u, 2u)).AsByte();
                b = SpreadXor(b) ^ t;
                rk[i + 1] = b;
            }
        }
    }

    // w0, w0^w1, w0^w1^w2, w0^w1^w2^w3
    private static Vector128<byte> SpreadXor(Vector128<byte> k)
    {
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        return k;
    }

    // AESKEYGENASSIST takes an immediate; a switch keeps every call constant. Key setup only.
    private static Vector128<byte> KeygenAssist(Vector128<byte> k, byte rcon) => rcon switch
    {
        0x00 => X86Aes.KeygenAssist(k, 0x00),
        0x01 => X86Aes.KeygenAssist(k, 0x01),
        0x02 => X86Aes.KeygenAssist(k, 0x02),
        0x04 => X86Aes.KeygenAssist(k, 0x04),
        0x08 => X86Aes.KeygenAssist(k, 0x08),
        0x10 => X86Aes.KeygenAssist(k, 0x10),
        0x20 => X86Aes.KeygenAssist(k, 0x20),
        0x40 => X86Aes.KeygenAssist(k, 0x40),
        0x80 => X86Aes.KeygenAssist(k, 0x80),
        0x1B => X86Aes.KeygenAssist(k, 0x1B),
        _ => X86Aes.KeygenAssist(k, 0x36),
    };

    public void Dispose() => _fallback?.Dispose();
}
