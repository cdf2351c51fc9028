using System.Net;
using System.Text.Json;
using Gateway.Auth;
using Gateway.NodeSelection;
using Gateway.WebRtc;
using Grains.Interfaces.Media;
using Microsoft.AspNetCore.Mvc;
using Orleans;

namespace Gateway.Api;

/// <summary>
/// /v1/nodes: the media nodes and where a client would be sent.
/// <list type="bullet">
/// <item>GET /v1/nodes (admin): every node with region, load and Orleans membership state, dead silos included.</item>
/// <item>GET /v1/nodes/best?ip=A (any valid token): the node WHIP would choose for a client at A (default: the
/// caller's own address, X-Forwarded-For rules applied), its region and why. It tells nothing an SDP answer
/// would not, so every token may ask.</item>
/// </list>
/// </summary>
public static class NodeEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/nodes", ListAsync).WithName("ListNodes")
            .Produces<NodeListDto>().ProducesProblem(403);
        v1.MapGet("/nodes/best", BestAsync).WithName("BestNode")
            .Produces<BestNodeDto>().ProducesProblem(400).ProducesProblem(503);
    }

    public static async Task<IResult> ListAsync(HttpContext http, [FromServices] NodeSelector selector,
        [FromServices] ClusterMembershipView membership, [FromServices] IGrainFactory grains)
    {
        if (!http.Caller().IsAdmin)
            throw ApiProblem.Forbidden("Listing nodes needs the admin grant.");
        var live = await selector.LiveNodesAsync(http.RequestAborted);
        var reported = await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync();
        var members = await membership.GetAsync(http.RequestAborted);
        var liveIds = live.Select(n => n.NodeId).ToHashSet(StringComparer.Ordinal);

        var nodes = reported.Select(n => ToDto(n, members?.GetValueOrDefault(n.NodeId), liveIds.Contains(n.NodeId))).ToList();
        if (members is not null)
        {
            var known = reported.Select(n => n.NodeId).ToHashSet(StringComparer.Ordinal);
            nodes.AddRange(members.Where(m => !known.Contains(m.Key)).Select(m => new NodeDto(
                m.Key, null, null, null, null, null, null, null, MembershipState(m.Value.Status), m.Value.SiloName, Live: false)));
        }
        return TypedResults.Ok(new NodeListDto([.. nodes.OrderBy(n => n.Region ?? "\uffff", StringComparer.Ordinal).ThenBy(n => n.NodeId, StringComparer.Ordinal)]));
    }

    public static async Task<IResult> BestAsync(HttpContext http, [FromServices] NodeSelector selector,
        [FromServices] NodeSelectionPolicy policy, [FromServices] ClusterMembershipView membership, string? ip)
    {
        IPAddress? client;
        if (ip is null)
        {
            client = policy.Addresses.Resolve(http);
        }
        else if (!ClientAddressResolver.TryParseEntry(ip.AsSpan().Trim(), out var parsed))
        {
            throw ApiProblem.BadRequest("ip must be an IPv4 or IPv6 address.");
        }
        else
        {
            client = parsed;
        }
        var choice = await selector.ChooseForAsync(client, http.RequestAborted);
        var members = await membership.GetAsync(http.RequestAborted);
        return TypedResults.Ok(new BestNodeDto(
            ToDto(choice.Node, members?.GetValueOrDefault(choice.Node.NodeId), live: true),
            choice.ClientAddress?.ToString(), choice.ClientRegion, choice.Node.Region,
            JsonNamingPolicy.CamelCase.ConvertName(choice.Reason.ToString())));
    }

    private static NodeDto ToDto(MediaNodeInfo n, MembershipEntry? member, bool live) => new(
        n.NodeId, n.Region, n.MediaAddress, n.MediaPort, n.Sessions, Math.Round(n.PacketsPerSecond, 1), Math.Round(n.CpuUsage, 4),
        n.ReportedAt, member is null ? null : MembershipState(member.Status), member?.SiloName, live, Math.Round(n.BitsPerSecond));

    private static string MembershipState(SiloStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}
