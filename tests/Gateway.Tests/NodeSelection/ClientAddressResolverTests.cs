using System.Net;
using Gateway.NodeSelection;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.NodeSelection;

public sealed class ClientAddressResolverTests
{
    private static readonly ClientAddressResolver Resolver = Create("127.0.0.1", "10.99.0.0/16", "2001:db8:ff::/48");

    private static ClientAddressResolver Create(params string[] trusted)
    {
        TrustedProxies.TryParse(trusted, out var proxies, out string error).Should().BeTrue(error);
        return new ClientAddressResolver(proxies);
    }

    private static string? Resolve(ClientAddressResolver resolver, string peer, params string[] forwardedFor) =>
        resolver.Resolve(IPAddress.Parse(peer), new StringValues(forwardedFor))?.ToString();

    [Fact]
    public void Without_a_trusted_peer_the_socket_address_is_the_client_and_the_header_is_ignored()
    {
        Resolve(Resolver, "203.0.113.5", "10.1.0.9").Should().Be("203.0.113.5");
        Resolve(Create(), "127.0.0.1", "10.1.0.9").Should().Be("127.0.0.1", "no proxy is trusted by default");
        Resolve(Resolver, "::ffff:203.0.113.5").Should().Be("203.0.113.5", "a dual-stack peer is its IPv4 address");
        Resolver.Resolve(null, "10.1.0.9").Should().BeNull();
    }

    [Fact]
    public void A_trusted_peer_without_the_header_is_itself_the_client() =>
        Resolve(Resolver, "127.0.0.1").Should().Be("127.0.0.1");

    [Fact]
    public void Behind_a_trusted_peer_the_right_most_untrusted_address_is_the_client()
    {
        Resolve(Resolver, "127.0.0.1", "10.1.0.9").Should().Be("10.1.0.9");
        Resolve(Resolver, "127.0.0.1", "6.6.6.6, 10.1.0.9").Should().Be("10.1.0.9", "what the client wrote itself (6.6.6.6) is not believed");
        Resolve(Resolver, "127.0.0.1", "6.6.6.6, 10.2.0.1, 10.99.3.4").Should().Be("10.2.0.1", "trusted hops are skipped");
        Resolve(Resolver, "::ffff:127.0.0.1", "10.3.0.1").Should().Be("10.3.0.1");
        Resolve(Resolver, "2001:db8:ff::7", "2001:db8:1::5").Should().Be("2001:db8:1::5");
    }

    [Fact]
    public void Several_header_lines_are_one_list_in_order()
    {
        Resolve(Resolver, "127.0.0.1", "6.6.6.6", "10.2.0.1, 10.99.0.1").Should().Be("10.2.0.1");
        Resolve(Resolver, "127.0.0.1", "10.2.0.1", "10.99.0.1, 10.99.0.2").Should().Be("10.2.0.1");
    }

    [Fact]
    public void When_every_hop_is_trusted_the_left_most_one_is_used() =>
        Resolve(Resolver, "127.0.0.1", "10.99.0.7, 10.99.0.8").Should().Be("10.99.0.7");

    [Fact]
    public void Ports_and_brackets_written_by_proxies_are_understood()
    {
        Resolve(Resolver, "127.0.0.1", "10.1.0.9:51234").Should().Be("10.1.0.9");
        Resolve(Resolver, "127.0.0.1", "[2001:db8:1::5]:443").Should().Be("2001:db8:1::5");
        Resolve(Resolver, "127.0.0.1", " 10.1.0.9 ,,").Should().Be("10.1.0.9");
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("not an address")]
    [InlineData("10.1")]
    [InlineData("fe80::1%eth0")]
    public void An_unreadable_hop_stops_the_walk_at_the_trusted_address_that_reported_it(string garbage)
    {
        Resolve(Resolver, "127.0.0.1", garbage).Should().Be("127.0.0.1");
        Resolve(Resolver, "127.0.0.1", $"10.1.0.9, {garbage}, 10.99.0.1").Should().Be("10.99.0.1");
        Resolve(Resolver, "127.0.0.1", $"{garbage}, 10.2.0.5").Should().Be("10.2.0.5");
    }

    [Fact]
    public void An_oversized_header_is_not_read() =>
        Resolve(Resolver, "127.0.0.1", string.Join(",", Enumerable.Repeat("10.99.0.1", 1000)) + ",10.1.0.9").Should().Be("127.0.0.1");

    [Fact]
    public void Seeded_random_headers_never_throw()
    {
        var random = new Random(7);
        const string alphabet = "0123456789abcdef.:,[]% unknow";
        for (int i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (int c = 0; c < chars.Length; c++)
                chars[c] = alphabet[random.Next(alphabet.Length)];
            Resolver.Resolve(IPAddress.Loopback, new string(chars)).Should().NotBeNull();
        }
    }
}
