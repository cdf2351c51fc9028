using Grains.Interfaces.Participants;

namespace Grains.Interfaces.Media;

/// <summary>
/// Everything the client-session grain (keyed by <c>Spec.SessionId</c>) needs to open a WHIP/WHEP session in
/// one call: the room and participant, the node the gateway chose (it alone knows the client's address), and
/// the negotiated tracks. Streams to publish are <see cref="MediaSessionSpec.Publish"/>; to receive, <see cref="MediaSessionSpec.Subscribe"/>.
/// </summary>
/// <param name="Permissions">What the participant may do if it has to join (from the token's grants).</param>
/// <param name="CreateRoom">A publisher's first WHIP creates the room with default options; a subscriber needs it to exist.</param>
/// <param name="ETag">Entity tag of the new ICE session (RFC 9725 §4.3.1).</param>
[GenerateSerializer, Immutable, Alias("Rtc.OpenSessionRequest")]
public sealed record OpenSessionRequest(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string Identity,
    [property: Id(2)] ParticipantPermissions Permissions,
    [property: Id(3)] ClientSessionKind Kind,
    [property: Id(4)] string NodeId,
    [property: Id(5)] MediaSessionSpec Spec,
    [property: Id(6)] bool CreateRoom,
    [property: Id(7)] string ETag,
    // An admin's session: its participant is admitted even while the identity's kick ban runs.
    [property: Id(8)] bool OverrideBan = false);

/// <summary>An open session: what the SDP answer needs, and its entity tag.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.OpenedSession")]
public sealed record OpenedSession(
    [property: Id(0)] MediaSessionGrant Grant,
    [property: Id(1)] string ETag);
