using System.Security.Cryptography;
using System.Text;

namespace MediaPlane.Ice;

/// <summary>
/// Our side's ICE username fragment and password for one session (RFC 8445 §5.3: at least 24 bits of
/// randomness in the ufrag and 128 in the password; RFC 8839 §5.4 ice-char alphabet).
/// </summary>
public sealed class IceCredentials
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private IceCredentials(string ufrag, string password)
    {
        Ufrag = ufrag;
        Password = password;
        PasswordBytes = Encoding.ASCII.GetBytes(password);
    }

    public string Ufrag { get; }

    public string Password { get; }

    /// <summary>The MESSAGE-INTEGRITY key for short-term credentials (RFC 8489 §9.1.1): the password itself.</summary>
    public byte[] PasswordBytes { get; }

    /// <summary>8 ice-chars of ufrag (48 bits) and 24 of password (144 bits).</summary>
    public static IceCredentials Generate() => new(Random(8), Random(24));

    public static bool IsValidIceString(string value, int minLength, int maxLength) =>
        value.Length >= minLength && value.Length <= maxLength && value.All(c => IceChars.Contains(c));

    private static string Random(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (int i = 0; i < length; i++)
            chars[i] = IceChars[RandomNumberGenerator.GetInt32(IceChars.Length)];
        return new string(chars);
    }
}
