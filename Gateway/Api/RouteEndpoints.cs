using Gateway.Auth;
using Grains.Interfaces.Routing;
using Microsoft.AspNetCore.Mvc;
using Orleans;

namespace Gateway.Api;

/// <summary>GET /v1/routes (admin): nodes, measured links and every node's route table, from the route table grain.</summary>
public static class RouteEndpoints
{
    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/routes", GetAsync).WithName("ListRoutes")
            .Produces<RouteListDto>().ProducesProblem(403);

    public static async Task<IResult> GetAsync(HttpContext http, [FromServices] IGrainFactory grains)
    {
        if (!http.Caller().IsAdmin)
            throw ApiProblem.Forbidden("Listing routes needs the admin grant.");
        var s = await grains.GetGrain<IRouteTableGrain>(IRouteTableGrain.Key).GetTablesAsync();
        return TypedResults.Ok(new RouteListDto(
            s.Version,
            s.Nodes,
            [.. s.Links.Select(l => new RouteLinkDto(l.From, l.To, l.RttMs, l.LossPct, l.JitterMs, double.IsFinite(l.CostMs) ? l.CostMs : null, l.ReportedAt))],
            [.. s.Tables.Select(t => new RouteTableDto(t.Node, t.Version,
                [.. t.Routes.Select(r => new RouteEntryDto(r.Destination, r.NextHop, r.CostMs, r.Path))]))]));
    }
}
