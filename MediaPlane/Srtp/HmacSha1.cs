using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MediaPlane.Srtp;

/// <summary>
/// HMAC-SHA1 (RFC 2104) with a fixed key, for SRTP/SRTCP authentication (RFC 3711 §4.2.1).
/// With OpenSSL, the SHA-1 states after the inner and outer padded keys are computed once; each MAC
/// copies a state, hashes the message and the inner digest: four native calls, no allocation.
/// Without OpenSSL, a cached keyed <see cref="IncrementalHash"/> is reused. Not thread-safe.
/// </summary>
internal sealed unsafe class HmacSha1 : IDisposable
{
    public const int DigestLength = 20;
    private const int BlockLength = 64;

    private readonly IncrementalHash? _fallback;
    private byte* _native; // inner state | outer state | work state | inner digest

    public HmacSha1(ReadOnlySpan<byte> key)
    {
        if (key.Length > BlockLength)
            throw new ArgumentException("SRTP auth keys are at most one SHA-1 block.", nameof(key));
        if (!LibCrypto.IsAvailable)
        {
            _fallback = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
            return;
        }
        _native = (byte*)NativeMemory.AlignedAlloc(3 * LibCrypto.Sha1CtxSize + DigestLength, 64);
        NativeMemory.Clear(_native, 3 * LibCrypto.Sha1CtxSize + DigestLength);
        byte* pad = stackalloc byte[BlockLength];
        for (int pass = 0; pass < 2; pass++)
        {
            byte fill = pass == 0 ? (byte)0x36 : (byte)0x5C;
            for (int i = 0; i < BlockLength; i++)
                pad[i] = (byte)((i < key.Length ? key[i] : 0) ^ fill);
            byte* state = _native + pass * LibCrypto.Sha1CtxSize;
            LibCrypto.Sha1Init(state);
            LibCrypto.Sha1UpdateShort(state, pad, BlockLength);
        }
        new Span<byte>(pad, BlockLength).Clear();
    }

    /// <summary>Writes the first <c>mac.Length</c> (at most 20) bytes of HMAC-SHA1(message) to <paramref name="mac"/>.</summary>
    public void Compute(ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (_fallback is not null)
        {
            Span<byte> full = stackalloc byte[DigestLength];
            _fallback.AppendData(message);
            _fallback.TryGetHashAndReset(full, out _);
            full[..mac.Length].CopyTo(mac);
            return;
        }
        ObjectDisposedException.ThrowIf(_native is null, this);
        byte* inner = _native;
        byte* outer = _native + LibCrypto.Sha1CtxSize;
        byte* work = _native + 2 * LibCrypto.Sha1CtxSize;
        byte* digest = _native + 3 * LibCrypto.Sha1CtxSize;
        Buffer.MemoryCopy(inner, work, LibCrypto.Sha1CtxSize, LibCrypto.Sha1CtxSize);
        fixed (byte* m = message)
            LibCrypto.Sha1Update(work, m, (nuint)message.Length);
        LibCrypto.Sha1Final(digest, work);
        Buffer.MemoryCopy(outer, work, LibCrypto.Sha1CtxSize, LibCrypto.Sha1CtxSize);
        LibCrypto.Sha1UpdateShort(work, digest, DigestLength);
        LibCrypto.Sha1Final(digest, work);
        new ReadOnlySpan<byte>(digest, mac.Length).CopyTo(mac);
    }

    public void Dispose()
    {
        _fallback?.Dispose();
        if (_native is not null)
        {
            NativeMemory.Clear(_native, 3 * LibCrypto.Sha1CtxSize + DigestLength);
            NativeMemory.AlignedFree(_native);
            _native = null;
        }
        GC.SuppressFinalize(this);
    }

    ~HmacSha1()
    {
        if (_native is not null)
            NativeMemory.AlignedFree(_native);
    }
}
