using System.Runtime.InteropServices;

namespace Benchmarks.Srtp;

/// <summary>Debian's libsrtp2 (package libsrtp2-1), for comparison only. Layouts as in srtp2/srtp.h 2.x.</summary>
internal static unsafe partial class LibSrtp2
{
    private const string Lib = "libsrtp2.so.1";

    public const int SsrcAnyInbound = 2;
    public const int SsrcAnyOutbound = 3;

    [StructLayout(LayoutKind.Sequential)]
    public struct CryptoPolicy
    {
        public int CipherType, CipherKeyLength, AuthType, AuthKeyLength, AuthTagLength, SecurityServices;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Policy
    {
        public int SsrcType;
        public uint SsrcValue;
        public CryptoPolicy Rtp;
        public CryptoPolicy Rtcp;
        public byte* Key;
        public void* Keys;
        public nuint NumMasterKeys;
        public void* DeprecatedEkt;
        public nuint WindowSize;
        public int AllowRepeatTx;
        public int* EncXtnHdr;
        public int EncXtnHdrCount;
        public void* Next;
    }

    [LibraryImport(Lib, EntryPoint = "srtp_init")]
    public static partial int Init();

    [LibraryImport(Lib, EntryPoint = "srtp_crypto_policy_set_from_profile_for_rtp")]
    public static partial int PolicyForRtp(CryptoPolicy* policy, int profile);

    [LibraryImport(Lib, EntryPoint = "srtp_crypto_policy_set_from_profile_for_rtcp")]
    public static partial int PolicyForRtcp(CryptoPolicy* policy, int profile);

    [LibraryImport(Lib, EntryPoint = "srtp_create")]
    public static partial int Create(nint* session, Policy* policy);

    [LibraryImport(Lib, EntryPoint = "srtp_dealloc")]
    public static partial int Dealloc(nint session);

    [LibraryImport(Lib, EntryPoint = "srtp_protect")]
    public static partial int Protect(nint session, byte* packet, int* length);

    [LibraryImport(Lib, EntryPoint = "srtp_unprotect")]
    public static partial int Unprotect(nint session, byte* packet, int* length);
}

/// <summary>OpenSSL 3 libcrypto, for the "raw cost" baseline: the same cipher and MAC work with no SRTP logic.</summary>
internal static unsafe partial class OpenSsl
{
    private const string Lib = "libcrypto.so.3";

    [LibraryImport(Lib, EntryPoint = "EVP_CIPHER_CTX_new")]
    public static partial nint CipherCtxNew();

    [LibraryImport(Lib, EntryPoint = "EVP_CIPHER_CTX_free")]
    public static partial void CipherCtxFree(nint ctx);

    [LibraryImport(Lib, EntryPoint = "EVP_CIPHER_CTX_ctrl")]
    public static partial int CipherCtxCtrl(nint ctx, int type, int arg, void* ptr);

    [LibraryImport(Lib, EntryPoint = "EVP_CipherInit_ex")]
    public static partial int CipherInitEx(nint ctx, nint cipher, nint engine, byte* key, byte* iv, int enc);

    [LibraryImport(Lib, EntryPoint = "EVP_CipherUpdate")]
    public static partial int CipherUpdate(nint ctx, byte* output, int* outLength, byte* input, int inLength);

    [LibraryImport(Lib, EntryPoint = "EVP_CipherFinal_ex")]
    public static partial int CipherFinalEx(nint ctx, byte* output, int* outLength);

    [LibraryImport(Lib, EntryPoint = "EVP_aes_128_ctr")]
    public static partial nint Aes128Ctr();

    [LibraryImport(Lib, EntryPoint = "EVP_aes_128_gcm")]
    public static partial nint Aes128Gcm();

    [LibraryImport(Lib, EntryPoint = "EVP_aes_256_gcm")]
    public static partial nint Aes256Gcm();

    [LibraryImport(Lib, EntryPoint = "EVP_sha1")]
    public static partial nint Sha1();

    [LibraryImport(Lib, EntryPoint = "HMAC_CTX_new")]
    public static partial nint HmacCtxNew();

    [LibraryImport(Lib, EntryPoint = "HMAC_CTX_free")]
    public static partial void HmacCtxFree(nint ctx);

    [LibraryImport(Lib, EntryPoint = "HMAC_Init_ex")]
    public static partial int HmacInitEx(nint ctx, byte* key, int keyLength, nint md, nint engine);

    [LibraryImport(Lib, EntryPoint = "HMAC_Update")]
    public static partial int HmacUpdate(nint ctx, byte* data, nuint length);

    [LibraryImport(Lib, EntryPoint = "HMAC_Final")]
    public static partial int HmacFinal(nint ctx, byte* mac, uint* length);
}
