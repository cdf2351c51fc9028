namespace Gateway.Demo;

/// <summary>
/// The demo page at <c>/</c>: one HTML file with inline script (no build step), embedded in the assembly.
/// It publishes the camera and microphone over WHIP and watches everyone else over WHEP.
/// </summary>
public static class DemoPage
{
    public const string ResourceName = "Gateway.Demo.index.html";

    private static readonly Lazy<byte[]> Html = new(() =>
    {
        using var stream = typeof(DemoPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/", () => Results.Bytes(Html.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
}
