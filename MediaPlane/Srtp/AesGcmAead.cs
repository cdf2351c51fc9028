using System.Security.Cryptography;

namespace MediaPlane.Srtp;

/// <summary>
/// AES-GCM with a 12-byte IV and 16-byte tag (RFC 7714 §5), in place, for one session key.
/// With OpenSSL, two EVP contexts (seal, open) are keyed once and only re-IV'd per packet; a bad tag
/// is a return value, never an exception. Without OpenSSL, <see cref="AesGcm"/> is used (its tag
/// mismatch exception is caught, which is slow: that path exists only for portability). Not thread-safe.
/// </summary>
internal sealed unsafe class AesGcmAead : IDisposable
{
    public const int TagLength = 16;
    public const int IvLength = 12;

    private readonly AesGcm? _fallback;
    private nint _seal;
    private nint _open;

    public AesGcmAead(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 32))
            throw new ArgumentException("AES-GCM key must be 128 or 256 bits.", nameof(key));
        if (!LibCrypto.IsAvailable)
        {
            _fallback = new AesGcm(key, TagLength);
            return;
        }
        nint cipher = key.Length == 16 ? LibCrypto.Aes128Gcm() : LibCrypto.Aes256Gcm();
        _seal = NewContext(cipher, key, 1);
        _open = NewContext(cipher, key, 0);
    }

    private static nint NewContext(nint cipher, ReadOnlySpan<byte> key, int encrypt)
    {
        nint ctx = LibCrypto.CipherCtxNew();
        if (ctx == 0)
            throw new CryptographicException("EVP_CIPHER_CTX_new failed.");
        fixed (byte* k = key)
        {
            if (LibCrypto.CipherInitEx(ctx, cipher, 0, k, null, encrypt) != 1)
            {
                LibCrypto.CipherCtxFree(ctx);
                throw new CryptographicException("EVP_CipherInit_ex failed.");
            }
        }
        return ctx;
    }

    /// <summary>Encrypts <paramref name="data"/> in place and writes the 16-byte tag.</summary>
    public void Seal(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, Span<byte> data, Span<byte> tag)
    {
        if (_fallback is not null)
        {
            _fallback.Encrypt(iv, data, data, tag[..TagLength], aad);
            return;
        }
        ObjectDisposedException.ThrowIf(_seal == 0, this);
        int outLength;
        byte scratch;
        fixed (byte* pIv = iv)
        fixed (byte* pAad = aad)
        fixed (byte* pData = data)
        fixed (byte* pTag = tag)
        {
            LibCrypto.CipherSetIv(_seal, 0, 0, null, pIv, -1);
            UpdateAad(_seal, pAad, aad.Length);
            if (data.Length > 0)
                LibCrypto.CipherUpdate(_seal, pData, &outLength, pData, data.Length);
            LibCrypto.CipherFinalEx(_seal, &scratch, &outLength);
            LibCrypto.CipherCtxCtrl(_seal, LibCrypto.EvpCtrlGcmGetTag, TagLength, pTag);
        }
    }

    /// <summary>Checks the tag and decrypts <paramref name="data"/> in place; false if the tag is wrong (data is then garbage).</summary>
    public bool Open(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, Span<byte> data, ReadOnlySpan<byte> tag) =>
        Open(iv, aad, default, data, tag);

    /// <summary>As <see cref="Open(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, ReadOnlySpan{byte})"/> with the AAD in two pieces (aad || aad2).</summary>
    public bool Open(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> aad2, Span<byte> data, ReadOnlySpan<byte> tag)
    {
        if (_fallback is not null)
        {
            try
            {
                if (aad2.IsEmpty)
                {
                    _fallback.Decrypt(iv, data, tag[..TagLength], data, aad);
                    return true;
                }
                byte[] joined = new byte[aad.Length + aad2.Length]; // portability path only
                aad.CopyTo(joined);
                aad2.CopyTo(joined.AsSpan(aad.Length));
                _fallback.Decrypt(iv, data, tag[..TagLength], data, joined);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }
        ObjectDisposedException.ThrowIf(_open == 0, this);
        int outLength;
        byte scratch;
        fixed (byte* pIv = iv)
        fixed (byte* pAad = aad)
        fixed (byte* pAad2 = aad2)
        fixed (byte* pData = data)
        fixed (byte* pTag = tag)
        {
            LibCrypto.CipherSetIv(_open, 0, 0, null, pIv, -1);
            UpdateAad(_open, pAad, aad.Length);
            if (aad2.Length > 0)
                UpdateAad(_open, pAad2, aad2.Length);
            if (data.Length > 0)
                LibCrypto.CipherUpdate(_open, pData, &outLength, pData, data.Length);
            LibCrypto.CipherCtxCtrl(_open, LibCrypto.EvpCtrlGcmSetTag, TagLength, pTag);
            return LibCrypto.CipherFinalEx(_open, &scratch, &outLength) == 1;
        }
    }

    private static void UpdateAad(nint ctx, byte* aad, int length)
    {
        int outLength;
        if (length <= 64)
            LibCrypto.CipherUpdateShort(ctx, null, &outLength, aad, length);
        else
            LibCrypto.CipherUpdate(ctx, null, &outLength, aad, length);
    }

    public void Dispose()
    {
        _fallback?.Dispose();
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_seal != 0)
            LibCrypto.CipherCtxFree(_seal);
        if (_open != 0)
            LibCrypto.CipherCtxFree(_open);
        _seal = 0;
        _open = 0;
    }

    ~AesGcmAead() => Free();
}
