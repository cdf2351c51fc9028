using Gateway.Api;
using Gateway.Auth;
using Grains.Interfaces.Media;

namespace Gateway.WebRtc;

/// <summary>
/// WHIP (RFC 9725) and WHEP endpoints. Same token rules and problem responses as /v1; CORS open to every
/// origin so that pages elsewhere can publish and play (the token, not the origin, is the credential).
/// </summary>
public static class WebRtcEndpoints
{
    public const string CorsPolicy = "webrtc";

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<NodeSelector>();
        services.AddSingleton<WhipHandler>();
        services.AddSingleton<WhepHandler>();
        services.AddSingleton<SessionResourceHandler>();
        services.AddOptions<SessionLimitsOptions>().BindConfiguration(SessionLimitsOptions.Section);
        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p
            .AllowAnyOrigin()
            .WithMethods("POST", "PATCH", "DELETE", "OPTIONS")
            .WithHeaders("Authorization", "Content-Type", "If-Match")
            .WithExposedHeaders("Location", "ETag", "Link")));
    }

    public static void Map(WebApplication app)
    {
        app.UseCors();
        var whip = app.MapGroup("/whip").RequireCors(CorsPolicy);
        var whep = app.MapGroup("/whep").RequireCors(CorsPolicy);
        var metrics = app.Services.GetRequiredService<Observability.GatewayMetrics>();
        foreach (var (group, name) in new[] { (whip, "whip"), (whep, "whep") })
        {
            group.AddEndpointFilter(new Observability.OfferMetricsFilter(metrics, name));
            group.AddEndpointFilter<ApiErrorFilter>();
            group.AddEndpointFilter<BearerAuthFilter>();
        }

        whip.MapPost("/{room}", (HttpContext http, string room, WhipHandler h) => h.PublishAsync(http, room));
        whip.MapDelete("/{room}/{session}", (HttpContext http, string room, string session, SessionResourceHandler h) => h.DeleteAsync(http, room, session, ClientSessionKind.Publish));
        whip.MapPatch("/{room}/{session}", (HttpContext http, string room, string session, SessionResourceHandler h) => h.PatchAsync(http, room, session, ClientSessionKind.Publish));

        whep.MapPost("/{room}", (HttpContext http, string room, WhepHandler h) => h.SubscribeAsync(http, room, null));
        whep.MapPost("/{room}/{participant}", (HttpContext http, string room, string participant, WhepHandler h) => h.SubscribeAsync(http, room, participant));
        whep.MapDelete("/{room}/{session}", (HttpContext http, string room, string session, SessionResourceHandler h) => h.DeleteAsync(http, room, session, ClientSessionKind.Subscribe));
        whep.MapPatch("/{room}/{session}", (HttpContext http, string room, string session, SessionResourceHandler h) => h.PatchAsync(http, room, session, ClientSessionKind.Subscribe));
        whep.MapPost("/{room}/{session}/layer", (HttpContext http, string room, string session, SessionResourceHandler h) => h.RequestLayerAsync(http, room, session));
    }
}
