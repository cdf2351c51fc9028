using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaPlane.Srtp;

/// <summary>
/// The few OpenSSL 3 libcrypto entry points SRTP uses on the hot path. .NET has no SHA-1 or GHASH
/// intrinsics, so SHA-1 (SHA-NI) and AES-GCM (VAES/PCLMUL) come from OpenSSL, which .NET itself uses on
/// Linux. When libcrypto.so.3 cannot be loaded (Windows, macOS) <see cref="IsAvailable"/> is false and the
/// callers fall back to System.Security.Cryptography; nothing here is called then.
/// Calls that take a fixed, tiny amount of work (set IV, AAD of a few bytes, final, tag) skip the GC
/// transition; calls over packet data keep it. Nothing outside the Srtp folder uses this.
/// </summary>
internal static unsafe partial class LibCrypto
{
    private const string Lib = "libcrypto.so.3";

    public const int EvpCtrlGcmGetTag = 0x10;
    public const int EvpCtrlGcmSetTag = 0x11;

    /// <summary>sizeof(SHA_CTX) is 96 bytes in OpenSSL 1.1 and 3.x; we reserve more to be safe.</summary>
    public const int Sha1CtxSize = 128;

    public static readonly bool IsAvailable = Probe();

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("MEDIAPLANE_SRTP_NO_OPENSSL") == "1")
            return false;
        if (!NativeLibrary.TryLoad(Lib, out nint lib))
            return false;
        foreach (var name in (string[])["SHA1_Init", "SHA1_Update", "SHA1_Final", "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free",
                     "EVP_CIPHER_CTX_ctrl", "EVP_CipherInit_ex", "EVP_CipherUpdate", "EVP_CipherFinal_ex", "EVP_aes_128_gcm", "EVP_aes_256_gcm"])
        {
            if (!NativeLibrary.TryGetExport(lib, name, out _))
                return false;
        }
        return true;
    }

    // SHA-1, low-level API: no provider dispatch, no allocation.
    [LibraryImport(Lib, EntryPoint = "SHA1_Init")]
    [SuppressGCTransition]
    public static partial int Sha1Init(void* ctx);

    [LibraryImport(Lib, EntryPoint = "SHA1_Update")]
    public static partial int Sha1Update(void* ctx, byte* data, nuint length);

    /// <summary>SHA1_Update for at most a block or two (the 20-byte inner digest).</summary>
    [LibraryImport(Lib, EntryPoint = "SHA1_Update")]
    [SuppressGCTransition]
    public static partial int Sha1UpdateShort(void* ctx, byte* data, nuint length);

    [LibraryImport(Lib, EntryPoint = "SHA1_Final")]
    [SuppressGCTransition]
    public static partial int Sha1Final(byte* digest, void* ctx);

    // EVP cipher contexts for AES-GCM.
    [LibraryImport(Lib, EntryPoint = "EVP_CIPHER_CTX_new")]
    public static partial nint CipherCtxNew();

    [LibraryImport(Lib, EntryPoint = "EVP_CIPHER_CTX_free")]
    public static partial void CipherCtxFree(nint ctx);

    [LibraryImport(Lib, EntryPoint = "EVP_CIPHER_CTX_ctrl")]
    [SuppressGCTransition]
    public static partial int CipherCtxCtrl(nint ctx, int type, int arg, void* ptr);

    [LibraryImport(Lib, EntryPoint = "EVP_CipherInit_ex")]
    public static partial int CipherInitEx(nint ctx, nint cipher, nint engine, byte* key, byte* iv, int enc);

    /// <summary>EVP_CipherInit_ex that only sets a new IV on a keyed context.</summary>
    [LibraryImport(Lib, EntryPoint = "EVP_CipherInit_ex")]
    [SuppressGCTransition]
    public static partial int CipherSetIv(nint ctx, nint cipher, nint engine, byte* key, byte* iv, int enc);

    [LibraryImport(Lib, EntryPoint = "EVP_CipherUpdate")]
    public static partial int CipherUpdate(nint ctx, byte* output, int* outLength, byte* input, int inLength);

    /// <summary>EVP_CipherUpdate for a few bytes (AAD of a header).</summary>
    [LibraryImport(Lib, EntryPoint = "EVP_CipherUpdate")]
    [SuppressGCTransition]
    public static partial int CipherUpdateShort(nint ctx, byte* output, int* outLength, byte* input, int inLength);

    [LibraryImport(Lib, EntryPoint = "EVP_CipherFinal_ex")]
    [SuppressGCTransition]
    public static partial int CipherFinalEx(nint ctx, byte* output, int* outLength);

    [LibraryImport(Lib, EntryPoint = "EVP_aes_128_gcm")]
    public static partial nint Aes128Gcm();

    [LibraryImport(Lib, EntryPoint = "EVP_aes_256_gcm")]
    public static partial nint Aes256Gcm();
}
