using System.Net;
using System.Text;
using MediaPlane.Ice;
using MediaPlane.Stun;
using MediaPlane.Transport;

namespace MediaPlane.Tests.Ice;

public class SessionTableTests
{
    private sealed class Session(string remoteUfrag) : ISessionEntry
    {
        public IceCredentials LocalCredentials { get; } = IceCredentials.Generate();
        public string RemoteUfrag { get; } = remoteUfrag;
        public EndpointKey? RemoteEndpoint { get; set; }
        public long LastConsentTicks { get; set; } = Environment.TickCount64;
    }

    private static EndpointKey Endpoint(int port) => EndpointKey.From(new IPEndPoint(IPAddress.Loopback, port));

    [Fact]
    public void Finds_a_session_by_the_ufrag_bytes_of_a_stun_username()
    {
        var table = new SessionTable<Session>();
        var session = new Session("remote1");
        table.TryAdd(session).Should().BeTrue();
        var username = Encoding.ASCII.GetBytes($"{session.LocalCredentials.Ufrag}:remote1");

        StunUsername.TrySplit(username, out var local, out var remote).Should().BeTrue();
        table.TryGetByUfrag(local, out var found).Should().BeTrue();

        found.Should().BeSameAs(session);
        SessionTable<Session>.RemoteUfragMatches(session, remote).Should().BeTrue();
        SessionTable<Session>.RemoteUfragMatches(session, "remote2"u8).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData("abc")]
    [InlineData(":abc")]
    [InlineData("abc:")]
    public void Rejects_malformed_usernames(string username)
    {
        StunUsername.TrySplit(Encoding.ASCII.GetBytes(username), out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Unknown_or_non_ascii_ufrags_find_nothing()
    {
        var table = new SessionTable<Session>();
        table.TryAdd(new Session("r")).Should().BeTrue();

        table.TryGetByUfrag("nosuch"u8, out _).Should().BeFalse();
        table.TryGetByUfrag(new byte[] { 0x00, 0xFF, 0x41 }, out _).Should().BeFalse();
        table.TryGetByUfrag(new byte[300], out _).Should().BeFalse();
    }

    [Fact]
    public void Rebinding_moves_the_session_and_frees_the_old_address()
    {
        var table = new SessionTable<Session>();
        var session = new Session("r");
        table.TryAdd(session);

        table.TryBindEndpoint(session, Endpoint(1000), previous: null).Should().BeTrue();
        session.RemoteEndpoint = Endpoint(1000);
        table.TryBindEndpoint(session, Endpoint(2000), previous: Endpoint(1000)).Should().BeTrue();
        session.RemoteEndpoint = Endpoint(2000);

        table.TryGetByEndpoint(Endpoint(1000), out _).Should().BeFalse();
        table.TryGetByEndpoint(Endpoint(2000), out var found).Should().BeTrue();
        found.Should().BeSameAs(session);
    }

    [Fact]
    public void One_session_cannot_take_another_sessions_address()
    {
        var table = new SessionTable<Session>();
        var victim = new Session("a");
        var attacker = new Session("b");
        table.TryAdd(victim);
        table.TryAdd(attacker);
        table.TryBindEndpoint(victim, Endpoint(1000), null).Should().BeTrue();

        table.TryBindEndpoint(attacker, Endpoint(1000), null).Should().BeFalse();

        table.TryGetByEndpoint(Endpoint(1000), out var owner).Should().BeTrue();
        owner.Should().BeSameAs(victim);
    }

    [Fact]
    public void Sessions_without_consent_for_the_timeout_are_collected_and_removable()
    {
        var table = new SessionTable<Session>();
        long now = Environment.TickCount64;
        var fresh = new Session("a") { LastConsentTicks = now - 1_000 };
        var stale = new Session("b") { LastConsentTicks = now - 31_000, RemoteEndpoint = Endpoint(3000) };
        table.TryAdd(fresh);
        table.TryAdd(stale);
        table.TryBindEndpoint(stale, Endpoint(3000), null);

        var expired = table.CollectExpired(now, TimeSpan.FromSeconds(30));

        expired.Should().ContainSingle().Which.Should().BeSameAs(stale);
        table.Remove(stale).Should().BeTrue();
        table.Count.Should().Be(1);
        table.TryGetByEndpoint(Endpoint(3000), out _).Should().BeFalse();
    }

    [Fact]
    public void Generated_credentials_follow_the_ice_char_rules()
    {
        var credentials = IceCredentials.Generate();

        IceCredentials.IsValidIceString(credentials.Ufrag, 4, 256).Should().BeTrue();
        IceCredentials.IsValidIceString(credentials.Password, 22, 256).Should().BeTrue();
        credentials.PasswordBytes.Should().Equal(Encoding.ASCII.GetBytes(credentials.Password));
        IceCredentials.Generate().Ufrag.Should().NotBe(credentials.Ufrag);
    }
}
