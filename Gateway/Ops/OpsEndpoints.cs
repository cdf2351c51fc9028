using System.Text.Json;
using Gateway.Api;
using Gateway.Auth;
using Grains.Interfaces.Media;
using Microsoft.AspNetCore.Mvc;
using Orleans;

namespace Gateway.Ops;

/// <summary>
/// GET /v1/ops/sessions (admin): the operator console's view of where each session lives. Read from the live nodes'
/// session indexes and each session's grain: a few grain calls per session, meant for a console polling every few
/// seconds, not for clients.
/// </summary>
public static class OpsEndpoints
{
    public const int MaxSessions = 2000;

    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/ops/sessions", ListSessionsAsync).WithName("ListSessionsByNode")
            .Produces<OpsSessionListDto>().ProducesProblem(403);

    public static async Task<IResult> ListSessionsAsync(HttpContext http, [FromServices] IGrainFactory grains)
    {
        if (!http.Caller().IsAdmin)
            throw ApiProblem.Forbidden("Listing sessions needs the admin grant.");
        var nodes = await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync();
        var indexes = await Task.WhenAll(nodes.Select(async n => (Node: n, Ids: await grains.GetGrain<IMediaNodeSessionsGrain>(n.NodeId).GetAsync())));
        var wanted = indexes.SelectMany(i => i.Ids.Select(id => (i.Node, Id: id))).ToList();
        var infos = await Task.WhenAll(wanted.Take(MaxSessions).Select(async w => (w.Node, Info: await grains.GetGrain<IClientSessionGrain>(w.Id).GetAsync())));
        var sessions = infos
            .Where(s => s.Info is { Status: not ClientSessionStatus.Closed })
            .Select(s => new OpsSessionDto(s.Info!.SessionId, s.Info.RoomId, s.Info.Identity, Camel(s.Info.Kind.ToString()), Camel(s.Info.Status.ToString()),
                s.Info.NodeId, s.Node.Region, s.Info.CreatedAt))
            .OrderBy(s => s.RoomId, StringComparer.Ordinal).ThenBy(s => s.Identity, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new OpsSessionListDto(sessions, wanted.Count > MaxSessions));
    }

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
