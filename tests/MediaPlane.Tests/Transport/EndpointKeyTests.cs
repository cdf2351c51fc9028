using System.Net;
using MediaPlane.Transport;

namespace MediaPlane.Tests.Transport;

public class EndpointKeyTests
{
    [Theory]
    [InlineData("127.0.0.1", 5000)]
    [InlineData("192.168.1.20", 65535)]
    [InlineData("::1", 7882)]
    [InlineData("2001:db8::1234", 1)]
    public void Round_trips_through_socket_address(string ip, int port)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(ip), port);

        EndpointKey.TryCreate(endpoint.Serialize(), out var key).Should().BeTrue();

        key.ToIPEndPoint().Should().Be(endpoint);
        key.Should().Be(EndpointKey.From(endpoint));
    }

    [Fact]
    public void Different_ports_or_addresses_give_different_keys()
    {
        var a = EndpointKey.From(new IPEndPoint(IPAddress.Loopback, 1000));
        var b = EndpointKey.From(new IPEndPoint(IPAddress.Loopback, 1001));
        var c = EndpointKey.From(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 1000));

        a.Should().NotBe(b);
        a.Should().NotBe(c);
    }

    [Fact]
    public void IPv4_and_its_mapped_IPv6_form_are_the_same_client()
    {
        var v4 = EndpointKey.From(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 4444));
        var mapped = EndpointKey.From(new IPEndPoint(IPAddress.Parse("10.1.2.3").MapToIPv6(), 4444));

        mapped.Should().Be(v4);
    }
}
