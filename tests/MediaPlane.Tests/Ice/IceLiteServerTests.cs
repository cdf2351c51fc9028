using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaPlane.Ice;
using MediaPlane.Stun;
using MediaPlane.Transport;

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
        _ice = new IceLiteServer<Session>(_sessions);
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

    private static UdpClient NewClient() => new(new IPEndPoint(IPAddress.Loopback, 0));

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
    public async Task A_verified_check_from_a_new_address_moves_a_nominated_session()
    {
        var session = new Session("browser");
        _sessions.TryAdd(session);
        using var before = NewClient();
        using var after = NewClient();
        string username = $"{session.LocalCredentials.Ufrag}:browser";

        (await Exchange(before, BindingRequest(username, session.LocalCredentials.Password, true, out _))).Should().NotBeNull();
        (await Exchange(after, BindingRequest(username, session.LocalCredentials.Password, false, out _))).Should().NotBeNull();

        var newKey = EndpointKey.From((IPEndPoint)after.Client.LocalEndPoint!);
        session.RemoteEndpoint.Should().Be(newKey);
        _sessions.TryGetByEndpoint(EndpointKey.From((IPEndPoint)before.Client.LocalEndPoint!), out _).Should().BeFalse();
        _ice.Count(IceLiteOutcome.Rebound).Should().Be(1);
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
