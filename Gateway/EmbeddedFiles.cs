namespace Gateway;

/// <summary>
/// Static pages and scripts the gateway serves as they are (the meeting page, the operator console): embedded in the
/// assembly and read once, on first request.
/// </summary>
internal static class EmbeddedFiles
{
    public static Lazy<byte[]> Lazy(string resourceName) => new(() => Read(resourceName));

    private static byte[] Read(string resourceName)
    {
        using var stream = typeof(EmbeddedFiles).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded resource {resourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
