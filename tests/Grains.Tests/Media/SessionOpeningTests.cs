using System.Collections.Immutable;
using Grains.Interfaces.Events;
using Grains.Interfaces.Media;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Tests.Fixtures;
using Grains.Tests.Rooms;
using Grains.Tests.Signaling;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Rtc.TestCluster;

namespace Grains.Tests.Media;

/// <summary>
/// <see cref="IClientSessionGrain.OpenAsync"/> on a one-silo cluster with a real media node: a step that fails
/// (made to fail by a grain-call filter, one step at a time) leaves nothing joined, published, subscribed or
/// open; and an open retried with the same session id returns the first answer without a second join or publish.
/// </summary>
public sealed class SessionOpeningTests : IClassFixture<SessionOpeningTests.Cluster>
{
    private readonly Cluster _fixture;
    private IGrainFactory Grains => _fixture.Silos.Client;

    public SessionOpeningTests(Cluster fixture) => _fixture = fixture;

    private const string ImportStep = $"{nameof(IMediaNodeGrain)}.{nameof(IMediaNodeGrain.ImportTrackAsync)}";

    public static TheoryData<string> FailingSteps => new()
    {
        $"{nameof(IRoomGrain)}.{nameof(IRoomGrain.JoinWithMediaAsync)}",
        $"{nameof(IMediaNodeGrain)}.{nameof(IMediaNodeGrain.OpenSessionAsync)}",
        $"{nameof(IParticipantGrain)}.{nameof(IParticipantGrain.AddSessionAsync)}",
        $"{nameof(IMediaNodeSessionsGrain)}.{nameof(IMediaNodeSessionsGrain.AddAsync)}",
    };

    [Theory]
    [MemberData(nameof(FailingSteps))]
    public async Task A_publish_whose_step_fails_leaves_nothing_joined_published_or_open(string failingStep)
    {
        string roomId = ClusterFixture.NewRoomId("open-fail");
        var request = Publish(roomId, "alice", MediaCluster.NewSessionId());
        await CreateRoomAsync(roomId);

        _fixture.Failing.Step = failingStep;
        try
        {
            var open = () => Grains.GetGrain<IClientSessionGrain>(request.Spec.SessionId).OpenAsync(request);
            (await open.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("injected failure");
        }
        finally
        {
            _fixture.Failing.Step = null;
        }

        await AssertNothingLeftAsync(request);
    }

    [Theory]
    [MemberData(nameof(FailingSteps))]
    [InlineData(ImportStep)]
    public async Task A_subscribe_whose_step_fails_leaves_nothing_subscribed_or_open_and_keeps_who_was_there(string failingStep)
    {
        string roomId = ClusterFixture.NewRoomId("open-fail");
        await CreateRoomAsync(roomId);
        var room = Grains.GetGrain<IRoomGrain>(roomId);
        // A publisher with a session on the node (a subscriber's session needs its tracks there).
        var publisher = Publish(roomId, "pub", MediaCluster.NewSessionId());
        await Grains.GetGrain<IClientSessionGrain>(publisher.Spec.SessionId).OpenAsync(publisher);
        var streamIds = publisher.Spec.Publish.Select(t => t.StreamId).ToList();
        if (failingStep == ImportStep)
        {
            // Published "on another node", so that the open imports it (the filter fails that call before it goes anywhere).
            await room.PublishAsync(RoomTestData.Publish("pub", "cam") with { OriginSilo = "elsewhere" });
            streamIds.Add("cam");
        }
        var published = (await room.GetStreamsAsync()).Select(s => s.StreamId).ToList();
        // "bob" was in the room before and stays; "carol" is joined by the open and must be gone after it fails.
        await room.JoinAsync(RoomTestData.Join("bob"));
        var bob = Subscribe(roomId, "bob", MediaCluster.NewSessionId(), [.. streamIds]);
        var carol = Subscribe(roomId, "carol", MediaCluster.NewSessionId(), [.. streamIds]);

        _fixture.Failing.Step = failingStep;
        try
        {
            foreach (var request in new[] { bob, carol })
            {
                var open = () => Grains.GetGrain<IClientSessionGrain>(request.Spec.SessionId).OpenAsync(request);
                (await open.Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("injected failure");
            }
        }
        finally
        {
            _fixture.Failing.Step = null;
        }

        await AssertNothingLeftAsync(bob, stillJoined: true);
        await AssertNothingLeftAsync(carol);
        (await room.GetStreamsAsync()).Select(s => s.StreamId).Should().BeEquivalentTo(published, "the publisher's streams are not the subscriber's to undo");
        await Grains.GetGrain<IClientSessionGrain>(publisher.Spec.SessionId).CloseAsync("test over", closedByNode: false);
    }

    [Fact]
    public async Task An_open_retried_with_the_same_id_returns_the_first_answer_and_joins_and_publishes_once()
    {
        string roomId = ClusterFixture.NewRoomId("open-again");
        var request = Publish(roomId, "alice", MediaCluster.NewSessionId());
        var session = Grains.GetGrain<IClientSessionGrain>(request.Spec.SessionId);

        // Two at once (a retry while the first still runs), then one after, with another entity tag.
        var answers = await Task.WhenAll(session.OpenAsync(request), session.OpenAsync(request));
        var again = await session.OpenAsync(request with { ETag = "\"another\"" });

        answers[1].Should().Be(answers[0]);
        again.Should().Be(answers[0]);
        answers[0].Grant.NodeId.Should().Be(_fixture.NodeId);
        var room = Grains.GetGrain<IRoomGrain>(roomId);
        var events = await room.GetEventsAsync(0, 100);
        events.Events.Select(e => e.Type).Should().Equal(
            [RoomEventType.Created, RoomEventType.Joined,
             RoomEventType.Published, RoomEventType.Published],
            "the room was created, joined and published to once");
        (await Participant(roomId, "alice").GetSessionsAsync()).Should().Equal(request.Spec.SessionId);
        (await session.GetAsync())!.StreamIds.Should().Equal(request.Spec.Publish.Select(t => t.StreamId));

        // A subscriber's retry, too: one subscription per stream, the same answer.
        var watch = Subscribe(roomId, "bob", MediaCluster.NewSessionId(), [.. request.Spec.Publish.Select(t => t.StreamId)]);
        var watching = Grains.GetGrain<IClientSessionGrain>(watch.Spec.SessionId);
        var first = await watching.OpenAsync(watch);
        (await watching.OpenAsync(watch)).Should().Be(first);
        (await room.GetSnapshotAsync()).Subscriptions.Where(s => s.SubscriberIdentity == "bob").Should().HaveCount(2);
        (await room.GetEventsAsync(0, 100)).Events.Should().HaveCount(4 + 3, "bob joined and subscribed to two streams, once");

        // The session is open on the node exactly once: closing it there finds it, a second close does not.
        await session.CloseAsync("test over", closedByNode: false);
        await watching.CloseAsync("test over", closedByNode: false);
        (await Node.CloseSessionAsync(request.Spec.SessionId)).Should().BeFalse("closing the session closed it on the node");
    }

    private async Task AssertNothingLeftAsync(OpenSessionRequest request, bool stillJoined = false)
    {
        var room = Grains.GetGrain<IRoomGrain>(request.RoomId);
        var snapshot = await room.GetSnapshotAsync();
        snapshot.Participants.Any(p => p.Identity == request.Identity).Should().Be(stillJoined);
        snapshot.Streams.Should().NotContain(s => s.PublisherIdentity == request.Identity);
        snapshot.Subscriptions.Should().NotContain(s => s.SubscriberIdentity == request.Identity);
        (await Node.CloseSessionAsync(request.Spec.SessionId)).Should().BeFalse("no session may be left open on the node");
        var recorded = await Grains.GetGrain<IClientSessionGrain>(request.Spec.SessionId).GetAsync();
        (recorded is null || recorded.Status == ClientSessionStatus.Closed).Should().BeTrue("the session is not recorded as open");
        (await Participant(request.RoomId, request.Identity).GetSessionsAsync()).Should().NotContain(request.Spec.SessionId);
        (await Grains.GetGrain<IMediaNodeSessionsGrain>(_fixture.NodeId).GetAsync()).Should().NotContain(request.Spec.SessionId);
    }

    private IMediaNodeGrain Node => Grains.GetGrain<IMediaNodeGrain>(_fixture.NodeId);

    private IParticipantGrain Participant(string roomId, string identity) =>
        Grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(roomId, identity));

    private Task CreateRoomAsync(string roomId) =>
        Grains.GetGrain<IRoomGrain>(roomId).CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });

    private OpenSessionRequest Publish(string roomId, string identity, string sessionId)
    {
        ImmutableArray<PublishTrackSpec> tracks =
        [
            new($"{sessionId}-0", StreamKind.Audio, 1001, null, 111, null, 48000, "opus"),
            new($"{sessionId}-1", StreamKind.Video, 2002, 2003, 96, 97, 90000, "VP8"),
        ];
        return new OpenSessionRequest(roomId, identity, RoomTestData.Both, ClientSessionKind.Publish, _fixture.NodeId,
            MediaCluster.Spec(sessionId, tracks), CreateRoom: true, ETag: "\"first\"");
    }

    private OpenSessionRequest Subscribe(string roomId, string identity, string sessionId, params string[] streamIds)
    {
        var tracks = streamIds.Select((id, i) => new SubscribeTrackSpec(id, (uint)(5000 + i), null, 96, null)).ToImmutableArray();
        return new OpenSessionRequest(roomId, identity, RoomTestData.Both, ClientSessionKind.Subscribe, _fixture.NodeId,
            MediaCluster.Spec(sessionId, []) with { Subscribe = tracks }, CreateRoom: false, ETag: "\"first\"");
    }

    /// <summary>Which grain method fails next (by name); null: none.</summary>
    public sealed class FailingStep
    {
        public volatile string? Step;
    }

    public sealed class Cluster : IAsyncLifetime
    {
        private readonly TempDirectory _data = new("rtc-session-opening");

        public FailingStep Failing { get; } = new();

        public InProcessTestCluster Silos { get; private set; } = null!;

        public string NodeId => MediaCluster.NodeId(Silos.Silos[0]);

        public async Task InitializeAsync()
        {
            var builder = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 1, _data.Path, (_, silo) =>
            {
                silo.AddMemoryStreams(StorageNames.StreamProvider);
                silo.Services.AddSingleton(Failing);
                silo.AddIncomingGrainCallFilter(context =>
                {
                    // The failed methods are ones only the session grain calls: the test's own calls never match.
                    if (Failing.Step is { } step && $"{context.InterfaceMethod.DeclaringType?.Name}.{context.InterfaceMethod.Name}" == step)
                        throw new InvalidOperationException($"injected failure of {step}");
                    return context.Invoke();
                });
            }, client => client.AddMemoryStreams(StorageNames.StreamProvider));
            Silos = builder.Build();
            await Silos.DeployAsync();
        }

        public async Task DisposeAsync()
        {
            await Silos.DisposeAsync();
            _data.Dispose();
        }
    }
}
