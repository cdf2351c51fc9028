using Gateway.Api;
using Gateway.Auth;
using Gateway.NodeSelection;
using Gateway.Observability;
using Gateway.RateLimits;
using Gateway.WebRtc;

namespace Gateway;

/// <summary>
/// Adds the gateway (REST API, auth, later WHIP/WHEP) to a web application. The host must provide
/// Orleans' IGrainFactory in DI: the silo process (embedded default) or an IClusterClient (standalone).
/// </summary>
public static class GatewayHosting
{
    public static WebApplicationBuilder AddRtcGateway(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ApiKeyOptions>(builder.Configuration.GetSection(ApiKeyOptions.Section));
        builder.Services.AddSingleton<AccessTokenValidator>();
        builder.Services.AddSingleton<BearerAuthFilter>();
        builder.Services.AddSingleton<ApiErrorFilter>();
        builder.Services.AddProblemDetails();
        // Source-generated metadata first; the framework's own resolvers stay behind it (ProblemDetails etc.).
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddOpenApi(o => o.AddBearerScheme().AddJsonRequestBodies());
        WebRtcEndpoints.AddServices(builder.Services);
        builder.Services.AddNodeSelection(builder.Configuration);
        builder.Services.AddClientRateLimiting(builder.Configuration);
        builder.Services.Configure<RoomNotificationSocketOptions>(builder.Configuration.GetSection(RoomNotificationSocketOptions.Section));
        builder.Services.AddSingleton<RoomSocketTickets>();
        builder.Services.AddSingleton<RoomSocketSlots>();
        builder.Services.AddSingleton<RoomNotificationSocket>();
        builder.Services.AddSingleton<RoomNotificationHub>();
        builder.Services.AddHostedService(s => s.GetRequiredService<RoomNotificationHub>());
        builder.AddRtcMetrics();
        return builder;
    }

    public static WebApplication MapRtcGateway(this WebApplication app)
    {
        app.MapRtcMetrics();
        app.UseClientRateLimiting();
        app.MapOpenApi();
        HealthEndpoints.Map(app);

        var v1 = app.MapGroup("/v1");
        // Order matters: the error filter wraps the auth filter so that 401s are problems too.
        v1.AddEndpointFilter<ApiErrorFilter>();
        v1.AddEndpointFilter<BearerAuthFilter>();
        RoomEndpoints.Map(v1);
        ParticipantEndpoints.Map(v1);
        StreamEndpoints.Map(v1);
        HistoryEndpoints.Map(v1);
        RoomSocketTicketEndpoints.Map(v1);
        NodeEndpoints.Map(v1);
        RouteEndpoints.Map(v1);
        RecordingEndpoints.Map(v1);
        Ops.OpsEndpoints.Map(v1);
        // Outside the /v1 group's filters: a WebSocket may carry a ticket in the query string instead of a header.
        RoomNotificationSocket.Map(app);
        WebRtcEndpoints.Map(app);
        Demo.DemoPage.Map(app);
        Demo.DevelopmentTokens.Map(app);
        Ops.OpsPages.Map(app);
        return app;
    }
}
