using System.Collections.Immutable;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Streams;

namespace Grains.Interfaces.Rooms;

/// <summary>
/// What a WHIP/WHEP session does in the room, as one room call: join (unless already present), then publish
/// and subscribe. All checked before anything is written; committed as one batch.
/// </summary>
/// <param name="CreateWith">Creates the room with these options when it does not exist yet (a publisher's first WHIP); null: it must exist.</param>
/// <param name="Publish">Streams to publish, all of <see cref="JoinRequest.Identity"/>. One already published by the same identity under the same id is kept (a retry).</param>
/// <param name="Subscribe">Streams to subscribe to; ones already subscribed are kept.</param>
[GenerateSerializer, Immutable, Alias("Rtc.MediaJoinRequest")]
public sealed record MediaJoinRequest(
    [property: Id(0)] JoinRequest Join,
    [property: Id(1)] RoomOptions? CreateWith,
    [property: Id(2)] ImmutableArray<PublishRequest> Publish,
    [property: Id(3)] ImmutableArray<string> Subscribe);

/// <summary>What <see cref="MediaJoinRequest"/> did.</summary>
/// <param name="Joined">True when this call joined the participant (it was not present before).</param>
/// <param name="Streams">The published streams, then the subscribed ones, in the order asked for.</param>
[GenerateSerializer, Immutable, Alias("Rtc.MediaJoinResult")]
public sealed record MediaJoinResult(
    [property: Id(0)] bool Joined,
    [property: Id(1)] ImmutableArray<StreamInfo> Streams);
