using System.Collections.Immutable;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Streams;

namespace Grains.Tests.Rooms;

internal static class RoomTestData
{
    public const ParticipantPermissions Both = ParticipantPermissions.Publish | ParticipantPermissions.Subscribe;

    public static JoinRequest Join(string identity, ParticipantPermissions permissions = Both, string metadata = "") =>
        new(identity, permissions, metadata);

    public static PublishRequest Publish(string identity, string streamId, StreamKind kind = StreamKind.Video, uint ssrc = 1111) =>
        new(identity, streamId, kind, kind == StreamKind.Video ? "VP8" : "opus", ImmutableArray.Create(ssrc, ssrc + 1), "silo-a");
}
