namespace Gateway.Demo;

/// <summary>
/// The meeting page at <c>/</c>: plain HTML and two scripts (no build step, no framework), embedded in the assembly
/// and served as they are. It publishes the camera, microphone and screen over WHIP and watches everyone else over WHEP.
/// </summary>
public static class DemoPage
{
    public const string ResourceName = "Gateway.Demo.index.html";

    private static readonly Lazy<byte[]> Html = EmbeddedFiles.Lazy(ResourceName);
    private static readonly Lazy<byte[]> MeetingScript = EmbeddedFiles.Lazy("Gateway.Demo.meeting.js");
    private static readonly Lazy<byte[]> TilesScript = EmbeddedFiles.Lazy("Gateway.Demo.tiles.js");

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Bytes(Html.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/meeting/meeting.js", () => Results.Bytes(MeetingScript.Value, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/meeting/tiles.js", () => Results.Bytes(TilesScript.Value, "text/javascript; charset=utf-8")).ExcludeFromDescription();
    }

}
