using System.Collections.Immutable;
using Grains.Events;
using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Tests.Events;

public sealed class RoomEventJsonTests
{
    [Fact]
    public void Every_field_round_trips_and_the_text_is_readable()
    {
        var e = new RoomEvent
        {
            RoomId = "r1", Sequence = 42, Timestamp = new DateTimeOffset(2026, 11, 24, 17, 1, 2, 345, TimeSpan.Zero).AddTicks(6789),
            Type = RoomEventType.Published, Identity = "alice", StreamId = "cam",
            Options = new RoomOptions { MaxParticipants = 2, MaxPublishers = 1, EmptyTimeout = TimeSpan.FromSeconds(30), Metadata = "{\"a\":1}" },
            Permissions = ParticipantPermissions.Publish | ParticipantPermissions.Subscribe, Metadata = "ünïcode",
            Kind = StreamKind.Audio, Codec = "opus", Ssrcs = ImmutableArray.Create(7u, 8u), OriginSilo = "S127.0.0.1:11111", Reason = "why",
        };

        string json = RoomEventJson.Serialize(e);
        var back = RoomEventJson.Deserialize(json);

        back.Should().BeEquivalentTo(e);
        back.Timestamp.Should().Be(e.Timestamp);
        back.Ssrcs!.Value.Should().Equal(7u, 8u);
        json.Should().Contain("\"type\":\"Published\"").And.Contain("\"kind\":\"Audio\"").And.Contain("\"permissions\":\"Publish, Subscribe\"");
    }

    [Fact]
    public void Unused_fields_are_left_out()
    {
        var e = new RoomEvent { RoomId = "r", Sequence = 1, Timestamp = DateTimeOffset.UnixEpoch, Type = RoomEventType.Left, Identity = "x" };

        string json = RoomEventJson.Serialize(e);

        json.Should().NotContain("null").And.NotContain("streamId");
        RoomEventJson.Deserialize(json).Should().Be(e);
    }

    [Fact]
    public void Snapshots_serialize_for_the_replay_command()
    {
        var s = new RoomSnapshot { RoomId = "r", Status = RoomStatus.Open, LastSequence = 3 };
        RoomEventJson.SerializeIndented(s).Should().Contain("\"status\": \"Open\"").And.Contain("\"lastSequence\": 3");
    }
}
