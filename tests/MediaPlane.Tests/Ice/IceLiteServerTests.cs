using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaPlane.Ice;
using MediaPlane.Stun;
using MediaPlane.Transport;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Ice;

public sealed class IceLiteServerTests : IDisposable
{
    private sealed class Session(string remoteUfrag) : IIceSession
    {
        public IceCredentials LocalCredentials { get; } = IceCredentials.Generate();
        public string RemoteUfrag { get; } = remoteUfrag;
        public EndpointKey? RemoteEndpoint { get; private set; }
        public long LastConsentTicks { get; private set; } = Environment.TickCount64;
        public void RefreshConsent(long nowTicks) => LastConsentTicks = nowTicks;
        public void MoveTo(EndpointKey remote, SocketAddress address, UdpReceiveSocket socket) => RemoteEndpoint = remote;
        public string RemotePassword { get; } = IceCredentials.Generate().Password;
        public byte[]? RemotePasswordBytes => Encoding.ASCII.GetBytes(RemotePassword);
        public AddressMoveGuard AddressMoves { get; } = new();
    }

    private sealed class Handler(IceLiteServer<Session> ice) : IDatagramHandler
    {
        public readonly List<IceLiteOutcome> Outcomes = [];

        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
        {
            var outcome = ice.Handle(datagram, meta, Environment.TickCount64);
            lock (Outcomes)
                Outcomes.Add(outcome);
        }
    }

    private readonly SessionTable<Session> _sessions = new();
    private readonly IceLiteServer<Session> _ice;
    private readonly Handler _handler;
    private readonly UdpMediaPort _port;
    private readonly IPEndPoint _server;

    public IceLiteServerTests()
    {
        _ice = new IceLiteServer<Session>(_sessions, new AddressMoveOptions { MaxMovesPerWindow = 2, CheckInterval = TimeSpan.Zero });
        _handler = new Handler(_ice);
        _port = new UdpMediaPort(new MediaPortOptions { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = 1 }, _handler);
        _port.Start();
        _server = new IPEndPoint(IPAddress.Loopback, _port.Port);
    }

    public void Dispose() => _port.Dispose();

    private static byte[] BindingRequest(string? username, string? password, bool useCandidate, out TransactionId id)
    {
        var buffer = new byte[256];
        id = TransactionId.NewRandom();
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, id, out var writer).Should().BeTrue();
        if (username is not null)
            writer.TryAddUsername(Encoding.ASCII.GetBytes(username)).Should().BeTrue();
        writer.TryAddPriority(0x6e7f1eff).Should().BeTrue();
        writer.TryAddIceControlling(42).Should().BeTrue();
        if (useCandidate)
            writer.TryAddUseCandidate().Should().BeTrue();
        if (password is not null)
            writer.TryAddMessageIntegrity(Encoding.ASCII.GetBytes(password)).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        return writer.Written.ToArray();
    }

    /// <summary>Sends a request and waits for the reply: long when one is expected (loaded CI machines), short when not.</summary>
    private async Task<byte[]?> Exchange(UdpClient client, byte[] request, bool replyExpected = true)
    {
        await client.SendAsync(request, _server);
        try
        {
            var reply = await client.ReceiveAsync().WaitAsync(TimeSpan.FromMilliseconds(replyExpected ? 5000 : 300));
            reply.RemoteEndPoint.Should().Be(_server);
            return reply.Buffer;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private async Task WaitForOutcomes(int count)
    {
        for (int i = 0; i < 100; i++)
        {
            lock (_handler.Outcomes)
                if (_handler.Outcomes.Count >= count) return;
            await Task.Delay(10);
        }
    }

    private static UdpClient NewClient(string address = "127.0.0.1") => new(new IPEndPoint(IPAddress.Parse(address), 0));

    [Fact]
    public async Task A_binding_request_without_username_is_a_health_check_and_is_answered()
    {
        using var client = NewClient();

        var reply = await Exchange(client, BindingRequest(null, null, false, out var id));

        reply.Should().NotBeNull();
        StunMessageReader.TryParse(reply, out var response, out _).Should().BeTrue();
        response.Class.Should().Be(StunMessageClass.SuccessResponse);
        response.TransactionId.Should().Be(id);
        response.TryGetXorMappedAddress(out IPEndPoint? mapped).Should().BeTrue();
        mapped.Should().Be((IPEndPoint)client.Client.LocalEndPoint!);
        _ice.Count(IceLiteOutcome.HealthCheckAnswered).Should().Be(1);
    }

    [Fact]
    public async Task A_verified_check_is_answered_and_nomination_takes_the_source_address()
    {
        var session = new Session("browser");
        _sessions.TryAdd(session);
        using var client = NewClient();
        string username = $"{session.LocalCredentials.Ufrag}:browser";

        var first = await Exchange(client, BindingRequest(username, session.LocalCredentials.Password, useCandidate: false, out _));
        session.RemoteEndpoint.Should().BeNull("an unnominated check does not pick the address");
        var second = await Exchange(client, BindingRequest(username, session.LocalCredentials.Password, useCandidate: true, out _));

        foreach (var reply in new[] { first, second })
        {
            reply.Should().NotBeNull();
            StunMessageReader.TryParse(reply, out var response, out _).Should().BeTrue();
            response.VerifyMessageIntegrity(session.LocalCredentials.PasswordBytes).Should().BeTrue();
            response.VerifyFingerprint().Should().BeTrue();
        }
        session.RemoteEndpoint.Should().Be(EndpointKey.From((IPEndPoint)client.Client.LocalEndPoint!));
        _sessions.TryGetByEndpoint(session.RemoteEndpoint!.Value, out var found).Should().BeTrue();
        found.Should().BeSameAs(session);
        _ice.Count(IceLiteOutcome.Nominated).Should().Be(1);
    }

    [Fact]
    public async Task Wrong_integrity_unknown_ufrag_and_wrong_remote_ufrag_are_dropped_silently()
    {
        var session = new Session("browser");
        _sessions.TryAdd(session);
        using var client = NewClient();

        (await Exchange(client, BindingRequest($"{session.LocalCredentials.Ufrag}:browser", "wrong-password-0123456789", true, out _), replyExpected: false)).Should().BeNull();
        (await Exchange(client, BindingRequest("nosuchufrag:browser", session.LocalCredentials.Password, true, out _), replyExpected: false)).Should().BeNull();
        (await Exchange(client, BindingRequest($"{session.LocalCredentials.Ufrag}:other", session.LocalCredentials.Password, true, out _), replyExpected: false)).Should().BeNull();
        (await Exchange(client, [0x00, 0x01, 0x00, 0x00, 1, 2, 3], replyExpected: false)).Should().BeNull();
        await WaitForOutcomes(4);

        session.RemoteEndpoint.Should().BeNull();
        _ice.Count(IceLiteOutcome.DroppedBadIntegrity).Should().Be(1);
        _ice.Count(IceLiteOutcome.DroppedUnknownUfrag).Should().Be(1);
        _ice.Count(IceLiteOutcome.DroppedRemoteUfragMismatch).Should().Be(1);
        _ice.Count(IceLiteOutcome.DroppedMalformed).Should().Be(1);
    }

    [Fact]
    public async Task A_verified_check_from_a_new_address_moves_a_nominated_session_once_that_address_answers_our_check()
    {
        var session = new Session("browser");
        _sessions.TryAdd(session);
        using var before = NewClient();
        using var after = NewClient("127.0.0.2");
        string username = $"{session.LocalCredentials.Ufrag}:browser";
        var oldKey = EndpointKey.From((IPEndPoint)before.Client.LocalEndPoint!);
        var newKey = EndpointKey.From((IPEndPoint)after.Client.LocalEndPoint!);
        (await Exchange(before, BindingRequest(username, session.LocalCredentials.Password, true, out _))).Should().NotBeNull();

        // The new address's verified check is answered, and our own check goes to it; the session stays.
        await after.SendAsync(BindingRequest(username, session.LocalCredentials.Password, false, out _), _server);
        var check = await ReceiveCheck(after, session);
        session.RemoteEndpoint.Should().Be(oldKey, "no move before the new address answers");
        _ice.Count(IceLiteOutcome.MoveCheckSent).Should().Be(1);

        // Its answer, signed with the client's password from the offer, moves the session.
        await after.SendAsync(CheckAnswer(check, session.RemotePassword, (IPEndPoint)after.Client.LocalEndPoint!), _server);
        await Poll.UntilAsync(() => session.RemoteEndpoint == newKey);
        _sessions.TryGetByEndpoint(oldKey, out _).Should().BeFalse();
        _ice.Count(IceLiteOutcome.Rebound).Should().Be(1);
    }

    [Fact]
    public async Task A_replayed_check_from_a_spoofed_source_that_cannot_answer_never_moves_the_session()
    {
        var session = new Session("browser");
        _sessions.TryAdd(session);
        using var client = NewClient();
        using var spoofed = NewClient("127.0.0.3");
        string username = $"{session.LocalCredentials.Ufrag}:browser";
        var request = BindingRequest(username, session.LocalCredentials.Password, true, out _);
        (await Exchange(client, request)).Should().NotBeNull();
        var clientKey = EndpointKey.From((IPEndPoint)client.Client.LocalEndPoint!);

        // The attacker replays the client's own request (valid integrity) from another source, again and again.
        for (int i = 0; i < 3; i++)
            await spoofed.SendAsync(request, _server);
        var check = await ReceiveCheck(spoofed, session);
        // It cannot sign an answer (it lacks the client's password); a forged or unsigned one is refused.
        await spoofed.SendAsync(CheckAnswer(check, "not-the-client-password-at-all", (IPEndPoint)spoofed.Client.LocalEndPoint!), _server);
        await spoofed.SendAsync(CheckAnswer(check, null, (IPEndPoint)spoofed.Client.LocalEndPoint!), _server);
        await Poll.UntilAsync(() => _ice.Count(IceLiteOutcome.DroppedBadIntegrity) >= 2);

        session.RemoteEndpoint.Should().Be(clientKey);
        _ice.Count(IceLiteOutcome.Rebound).Should().Be(0);
    }

    [Fact]
    public async Task An_answer_from_another_address_than_the_check_went_to_does_not_move_the_session()
    {
        var session = new Session("browser");
        _sessions.TryAdd(session);
        using var client = NewClient();
        using var candidate = NewClient("127.0.0.2");
        using var third = NewClient("127.0.0.3");
        string username = $"{session.LocalCredentials.Ufrag}:browser";
        (await Exchange(client, BindingRequest(username, session.LocalCredentials.Password, true, out _))).Should().NotBeNull();
        var clientKey = session.RemoteEndpoint;

        await candidate.SendAsync(BindingRequest(username, session.LocalCredentials.Password, false, out _), _server);
        var check = await ReceiveCheck(candidate, session);
        await third.SendAsync(CheckAnswer(check, session.RemotePassword, (IPEndPoint)third.Client.LocalEndPoint!), _server);
        await Poll.UntilAsync(() => _ice.Count(IceLiteOutcome.DroppedUnexpectedResponse) >= 1);

        session.RemoteEndpoint.Should().Be(clientKey);
    }

    [Fact]
    public async Task Moves_beyond_the_rate_are_refused()
    {
        var session = new Session("browser");
        _sessions.TryAdd(session);
        string username = $"{session.LocalCredentials.Ufrag}:browser";
        using var first = NewClient();
        (await Exchange(first, BindingRequest(username, session.LocalCredentials.Password, true, out _))).Should().NotBeNull();

        // The server under test allows 2 moves a minute: two rebindings succeed, the third is refused without a check.
        string[] addresses = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];
        var clients = addresses.Select(NewClient).ToList();
        try
        {
            foreach (var next in clients.Take(2))
            {
                await next.SendAsync(BindingRequest(username, session.LocalCredentials.Password, false, out _), _server);
                var check = await ReceiveCheck(next, session);
                await next.SendAsync(CheckAnswer(check, session.RemotePassword, (IPEndPoint)next.Client.LocalEndPoint!), _server);
                var key = EndpointKey.From((IPEndPoint)next.Client.LocalEndPoint!);
                await Poll.UntilAsync(() => session.RemoteEndpoint == key);
            }
            var third = clients[2];
            var before = session.RemoteEndpoint;
            (await Exchange(third, BindingRequest(username, session.LocalCredentials.Password, false, out _), replyExpected: false)).Should().BeNull(
                "a refused move is neither answered nor checked");
            await Poll.UntilAsync(() => _ice.Count(IceLiteOutcome.DroppedMoveRateLimited) == 1);
            session.RemoteEndpoint.Should().Be(before);
            _ice.Count(IceLiteOutcome.Rebound).Should().Be(2);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_health_check_answer_is_never_larger_than_the_request()
    {
        using var client = NewClient();
        var bare = new byte[StunConstants.HeaderLength];
        StunMessageWriter.TryCreate(bare, StunConstants.BindingMethod, StunMessageClass.Request, TransactionId.NewRandom(), out var writer).Should().BeTrue();

        var reply = await Exchange(client, writer.Written.ToArray());

        reply.Should().NotBeNull();
        reply!.Length.Should().BeLessThanOrEqualTo(bare.Length);
        StunMessageReader.TryParse(reply, out var response, out _).Should().BeTrue();
        response.Class.Should().Be(StunMessageClass.SuccessResponse);
    }

    /// <summary>Reads datagrams until our server's check for <paramref name="session"/> arrives (answers to the client's own requests come too).</summary>
    private async Task<byte[]> ReceiveCheck(UdpClient client, Session session)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var datagram = await client.ReceiveAsync(timeout.Token);
            if (!StunMessageReader.TryParse(datagram.Buffer, out var message, out _) || !message.IsBindingRequest)
                continue;
            message.TryGetUsername(out var username).Should().BeTrue();
            Encoding.ASCII.GetString(username).Should().Be($"{session.RemoteUfrag}:{session.LocalCredentials.Ufrag}", "RFC 8445 §7.2.2: the receiver's ufrag first");
            message.VerifyMessageIntegrity(Encoding.ASCII.GetBytes(session.RemotePassword)).Should().BeTrue("the check is signed with the client's password");
            message.TryGetIceControlled(out _).Should().BeTrue("a lite agent is always controlled");
            return datagram.Buffer;
        }
    }

    /// <summary>A success response to our check, signed with <paramref name="password"/> (null: unsigned).</summary>
    private static byte[] CheckAnswer(byte[] check, string? password, IPEndPoint mapped)
    {
        StunMessageReader.TryParse(check, out var request, out _).Should().BeTrue();
        var buffer = new byte[256];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.SuccessResponse, request.TransactionId, out var writer).Should().BeTrue();
        writer.TryAddXorMappedAddress(mapped).Should().BeTrue();
        if (password is not null)
            writer.TryAddMessageIntegrity(Encoding.ASCII.GetBytes(password)).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        return writer.Written.ToArray();
    }

    [Fact]
    public async Task A_session_cannot_claim_the_address_of_another_session()
    {
        var victim = new Session("v");
        var other = new Session("o");
        _sessions.TryAdd(victim);
        _sessions.TryAdd(other);
        using var client = NewClient();

        (await Exchange(client, BindingRequest($"{victim.LocalCredentials.Ufrag}:v", victim.LocalCredentials.Password, true, out _))).Should().NotBeNull();
        (await Exchange(client, BindingRequest($"{other.LocalCredentials.Ufrag}:o", other.LocalCredentials.Password, true, out _), replyExpected: false)).Should().BeNull();

        _sessions.TryGetByEndpoint(victim.RemoteEndpoint!.Value, out var owner).Should().BeTrue();
        owner.Should().BeSameAs(victim);
        other.RemoteEndpoint.Should().BeNull();
        _ice.Count(IceLiteOutcome.DroppedAddressInUse).Should().Be(1);
    }
}
