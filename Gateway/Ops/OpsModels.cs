namespace Gateway.Ops;

/// <summary>
/// GET /v1/ops/sessions: every session the live media nodes carry, with where it lives. <c>truncated</c> is true
/// when there were more than the endpoint lists (<see cref="OpsEndpoints.MaxSessions"/>).
/// </summary>
public sealed record OpsSessionListDto(IReadOnlyList<OpsSessionDto> Sessions, bool Truncated);

/// <param name="Kind">"publish" (WHIP) or "subscribe" (WHEP).</param>
/// <param name="Status">"opening", "connected" or "closed".</param>
public sealed record OpsSessionDto(
    string SessionId,
    string RoomId,
    string Identity,
    string Kind,
    string Status,
    string NodeId,
    string? Region,
    DateTimeOffset CreatedAt);
