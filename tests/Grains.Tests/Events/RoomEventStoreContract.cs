using System.Collections.Immutable;
using Grains.Events;
using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Tests.Events;

/// <summary>What every <see cref="IRoomEventStore"/> must do; one subclass per implementation.</summary>
public abstract class RoomEventStoreContract
{
    protected abstract Task<IRoomEventStore> CreateStoreAsync();

    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 17, 0, 0, TimeSpan.Zero);

    private static string NewRoom() => $"store-{Guid.NewGuid():N}";

    internal static RoomEvent Event(string room, long seq, RoomEventType type = RoomEventType.Joined) => new()
    {
        RoomId = room,
        Sequence = seq,
        Timestamp = T0.AddMilliseconds(seq * 10).AddTicks(seq),
        Type = type,
        Identity = $"user-{seq}",
        Permissions = ParticipantPermissions.Publish | ParticipantPermissions.Subscribe,
        Metadata = "m\"é",
    };

    private async Task<IRoomEventStore> StoreAsync()
    {
        var store = await CreateStoreAsync();
        await store.InitializeAsync();
        await store.InitializeAsync();
        return store;
    }

    [Fact]
    public async Task Appended_events_read_back_equal_and_in_order()
    {
        var store = await StoreAsync();
        string room = NewRoom();
        var published = new RoomEvent
        {
            RoomId = room, Sequence = 2, Timestamp = T0.AddSeconds(2), Type = RoomEventType.Published, Identity = "a",
            StreamId = "cam", Kind = StreamKind.Video, Codec = "VP8", Ssrcs = ImmutableArray.Create(1u, 4294967295u), OriginSilo = "S1",
        };
        var created = new RoomEvent
        {
            RoomId = room, Sequence = 1, Timestamp = T0, Type = RoomEventType.Created,
            Options = new RoomOptions { MaxParticipants = 3, EmptyTimeout = TimeSpan.FromSeconds(90), Metadata = "x" },
        };
        await store.AppendAsync(created);
        await store.AppendAsync(published);
        await store.AppendAsync(Event(room, 3, RoomEventType.Left));

        var read = await store.ReadAsync(room, 0, 10);

        read.Select(e => e.Sequence).Should().Equal(1, 2, 3);
        read[0].Should().Be(created);
        read[1].Should().BeEquivalentTo(published);
        read[1].Ssrcs!.Value.Should().Equal(1u, 4294967295u);
        read[2].Should().Be(Event(room, 3, RoomEventType.Left));
        (await store.GetLastSequenceAsync(room)).Should().Be(3);
    }

    [Fact]
    public async Task Pages_start_after_the_cursor_and_stop_at_the_limit()
    {
        var store = await StoreAsync();
        string room = NewRoom();
        for (int i = 1; i <= 25; i++)
            await store.AppendAsync(Event(room, i));

        (await store.ReadAsync(room, 0, 10)).Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 10).Select(i => (long)i));
        (await store.ReadAsync(room, 20, 10)).Select(e => e.Sequence).Should().Equal(21, 22, 23, 24, 25);
        (await store.ReadAsync(room, 25, 10)).Should().BeEmpty();
        var all = new List<long>();
        await foreach (var e in store.ReadAllAsync(room))
            all.Add(e.Sequence);
        all.Should().HaveCount(25);
    }

    [Fact]
    public async Task Rooms_do_not_see_each_others_events()
    {
        var store = await StoreAsync();
        string a = NewRoom(), b = NewRoom();
        await store.AppendAsync(Event(a, 1));
        await store.AppendAsync(Event(b, 1));
        await store.AppendAsync(Event(b, 2));

        (await store.ReadAsync(a, 0, 10)).Should().ContainSingle().Which.RoomId.Should().Be(a);
        (await store.GetLastSequenceAsync(b)).Should().Be(2);
        (await store.GetLastSequenceAsync(NewRoom())).Should().Be(0);
    }

    [Fact]
    public async Task Appending_the_same_event_twice_is_idempotent_and_a_different_one_conflicts()
    {
        var store = await StoreAsync();
        string room = NewRoom();
        await store.AppendAsync(Event(room, 1));

        await store.AppendAsync(Event(room, 1));
        var act = () => store.AppendAsync(Event(room, 1) with { Identity = "someone-else" });

        (await act.Should().ThrowAsync<EventSequenceConflictException>()).Which.Sequence.Should().Be(1);
        (await store.ReadAsync(room, 0, 10)).Should().ContainSingle().Which.Should().Be(Event(room, 1));
        (await store.GetLastSequenceAsync(room)).Should().Be(1);
    }

    [Fact]
    public async Task Replay_until_a_moment_reads_only_events_up_to_it()
    {
        var store = await StoreAsync();
        string room = NewRoom();
        await store.AppendAsync(new RoomEvent { RoomId = room, Sequence = 1, Timestamp = T0, Type = RoomEventType.Created, Options = RoomOptions.Default });
        for (int i = 2; i <= 5; i++)
            await store.AppendAsync(Event(room, i));

        var atThird = await store.ReplayAsync(room, Event(room, 3).Timestamp);
        var beforeAll = await store.ReplayAsync(room, T0.AddTicks(-1));

        atThird.LastSequence.Should().Be(3);
        atThird.Participants.Select(p => p.Identity).Should().Equal("user-2", "user-3");
        beforeAll.Should().Be(RoomStateProjector.Empty(room));
    }
}
