namespace Gateway.Ops;

/// <summary>
/// The operator console (<c>/ops</c>) and the route topology page (<c>/ops/routes</c>): plain HTML files with inline
/// script and SVG, embedded in the assembly (no build step, nothing fetched from elsewhere). The pages themselves are
/// public; every number they show comes from admin-only /v1 endpoints called with the token the operator gives.
/// </summary>
public static class OpsPages
{
    private static readonly Lazy<byte[]> Console = EmbeddedFiles.Lazy("Gateway.Ops.console.html");
    private static readonly Lazy<byte[]> Routes = EmbeddedFiles.Lazy("Gateway.Ops.routes.html");

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/ops", () => Results.Bytes(Console.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/ops/routes", () => Results.Bytes(Routes.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
    }

}
