namespace Gateway.Auth;

/// <summary>
/// Who is calling, from a validated access token: <see cref="Identity"/> is the token's <c>sub</c>,
/// <see cref="Room"/> its <c>room</c> claim (a room id or <see cref="AccessTokenIssuer.AnyRoom"/>).
/// </summary>
public sealed record Caller(string Identity, string Room, Grants Grants)
{
    /// <summary>
    /// When the token's rights end (its <c>exp</c>); what lives on after the request (a WebSocket) ends then. A fact about
    /// the credential, not the caller: equality below compares who is calling and what they may do, not this.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Equals(Caller? other) =>
        other is not null && Identity == other.Identity && Room == other.Room && Grants == other.Grants;

    public override int GetHashCode() => HashCode.Combine(Identity, Room, Grants);

    public bool IsAdmin => Grants.HasFlag(Grants.Admin);

    public bool Has(Grants grant) => (Grants & grant) == grant;

    /// <summary>Whether the token is scoped to <paramref name="roomId"/> (or to every room).</summary>
    public bool CoversRoom(string roomId) => Room == AccessTokenIssuer.AnyRoom || Room == roomId;

    /// <summary>Admin of this room: may do everything in it.</summary>
    public bool IsAdminOf(string roomId) => IsAdmin && CoversRoom(roomId);

    /// <summary>Holds any grant for this room: may read its participants, events and state.</summary>
    public bool IsMemberOf(string roomId) => Grants != Grants.None && CoversRoom(roomId);
}
