namespace MediaPlane.Tests;

internal static class Hex
{
    /// <summary>Hex digits with any whitespace, as RFCs print them, to bytes.</summary>
    public static byte[] Parse(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
}
