using System.Runtime.InteropServices;

namespace MediaPlane.Srtp;

/// <summary>
/// The few OpenSSL libcrypto entry points SRTP uses on the hot path, bound once as function pointers.
/// .NET has no SHA-1 or GHASH intrinsics, so SHA-1 (SHA-NI) and AES-GCM (VAES/PCLMUL) come from OpenSSL,
/// which .NET itself also uses on Linux. When libcrypto cannot be loaded (Windows, macOS without OpenSSL)
/// <see cref="IsAvailable"/> is false and the callers fall back to System.Security.Cryptography.
/// Nothing outside the Srtp folder calls this.
/// </summary>
internal static unsafe class LibCrypto
{
    public const int EvpCtrlGcmGetTag = 0x10;
    public const int EvpCtrlGcmSetTag = 0x11;

    /// <summary>sizeof(SHA_CTX) is 96 bytes in OpenSSL 1.1 and 3.x; we reserve more to be safe.</summary>
    public const int Sha1CtxSize = 128;

    public static readonly bool IsAvailable;

    // SHA-1, low-level API: no provider dispatch, no allocation.
    public static readonly delegate* unmanaged<void*, int> Sha1Init;
    public static readonly delegate* unmanaged<void*, byte*, nuint, int> Sha1Update;
    public static readonly delegate* unmanaged<byte*, void*, int> Sha1Final;

    // EVP cipher contexts for AES-GCM.
    public static readonly delegate* unmanaged<nint> CipherCtxNew;
    public static readonly delegate* unmanaged<nint, void> CipherCtxFree;
    public static readonly delegate* unmanaged<nint, int, int, void*, int> CipherCtxCtrl;
    public static readonly delegate* unmanaged<nint, nint, nint, byte*, byte*, int, int> CipherInitEx;
    public static readonly delegate* unmanaged<nint, byte*, int*, byte*, int, int> CipherUpdate;
    public static readonly delegate* unmanaged<nint, byte*, int*, int> CipherFinalEx;
    public static readonly delegate* unmanaged<nint> Aes128Gcm;
    public static readonly delegate* unmanaged<nint> Aes256Gcm;

    static LibCrypto()
    {
        if (Environment.GetEnvironmentVariable("MEDIAPLANE_SRTP_NO_OPENSSL") == "1")
            return;
        string[] names = OperatingSystem.IsMacOS()
            ? ["libcrypto.3.dylib", "libcrypto.dylib"]
            : ["libcrypto.so.3", "libcrypto.so"];
        nint lib = 0;
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out lib))
                break;
        }
        if (lib == 0)
            return;
        try
        {
            Sha1Init = (delegate* unmanaged<void*, int>)NativeLibrary.GetExport(lib, "SHA1_Init");
            Sha1Update = (delegate* unmanaged<void*, byte*, nuint, int>)NativeLibrary.GetExport(lib, "SHA1_Update");
            Sha1Final = (delegate* unmanaged<byte*, void*, int>)NativeLibrary.GetExport(lib, "SHA1_Final");
            CipherCtxNew = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "EVP_CIPHER_CTX_new");
            CipherCtxFree = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(lib, "EVP_CIPHER_CTX_free");
            CipherCtxCtrl = (delegate* unmanaged<nint, int, int, void*, int>)NativeLibrary.GetExport(lib, "EVP_CIPHER_CTX_ctrl");
            CipherInitEx = (delegate* unmanaged<nint, nint, nint, byte*, byte*, int, int>)NativeLibrary.GetExport(lib, "EVP_CipherInit_ex");
            CipherUpdate = (delegate* unmanaged<nint, byte*, int*, byte*, int, int>)NativeLibrary.GetExport(lib, "EVP_CipherUpdate");
            CipherFinalEx = (delegate* unmanaged<nint, byte*, int*, int>)NativeLibrary.GetExport(lib, "EVP_CipherFinal_ex");
            Aes128Gcm = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "EVP_aes_128_gcm");
            Aes256Gcm = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "EVP_aes_256_gcm");
            IsAvailable = true;
        }
        catch (EntryPointNotFoundException)
        {
            IsAvailable = false;
        }
    }
}
