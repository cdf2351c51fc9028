using System.Net;
using Gateway.NodeSelection;

namespace Gateway.Tests.NodeSelection;

public sealed class IpNetworkTests
{
    [Theory]
    [InlineData("10.1.0.0/16", "10.1.0.0", true)]
    [InlineData("10.1.0.0/16", "10.1.255.255", true)]
    [InlineData("10.1.0.0/16", "10.2.0.0", false)]
    [InlineData("10.1.0.0/16", "9.255.255.255", false)]
    [InlineData("192.168.4.0/22", "192.168.7.200", true)]
    [InlineData("192.168.4.0/22", "192.168.8.1", false)]
    [InlineData("192.168.4.0/22", "192.168.3.255", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("203.0.113.9", "203.0.113.9", true)]
    [InlineData("203.0.113.9", "203.0.113.10", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8:abcd:12::/63", "2001:db8:abcd:13::5", true)]
    [InlineData("2001:db8:abcd:12::/63", "2001:db8:abcd:14::5", false)]
    [InlineData("::/0", "::1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.9.8.7", true)]
    [InlineData("::ffff:10.0.0.0/104", "10.200.1.1", true)]
    [InlineData("10.0.0.0/8", "::a09:807", false)]
    [InlineData("::/0", "10.0.0.1", false)]
    [InlineData("0.0.0.0/0", "::1", false)]
    public void Contains_matches_the_prefix_bits_within_one_address_family(string network, string address, bool expected) =>
        IpNetwork.Parse(network).Contains(IPAddress.Parse(address)).Should().Be(expected);

    [Theory]
    [InlineData("10.1.0.0/16", 16)]
    [InlineData(" 10.1.0.0/16 ", 16)]
    [InlineData("10.1.2.3", 32)]
    [InlineData("2001:db8::/48", 48)]
    [InlineData("fe80::1", 128)]
    [InlineData("::ffff:192.0.2.0/120", 24)]
    public void Valid_networks_parse_with_their_prefix_length(string text, int prefix)
    {
        IpNetwork.TryParse(text, out var network, out string error).Should().BeTrue(error);
        network.PrefixLength.Should().Be(prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("10.1.0.0/")]
    [InlineData("10.1.0.0/33")]
    [InlineData("10.1.0.0/-1")]
    [InlineData("10.1.0.0/+8")]
    [InlineData("10.1.0.0/1000")]
    [InlineData("10.1.0.0/16/2")]
    [InlineData("10.1/16")]
    [InlineData("10")]
    [InlineData("10.1.0.256/32")]
    [InlineData("10.1.2.3/16")]
    [InlineData("2001:db8::1/32")]
    [InlineData("2001:db8::/129")]
    [InlineData("fe80::1%eth0")]
    [InlineData("::ffff:10.0.0.0/95")]
    [InlineData("eu")]
    [InlineData("1.2.3.4 /8")]
    public void Invalid_networks_are_refused_with_a_reason(string? text)
    {
        IpNetwork.TryParse(text, out _, out string error).Should().BeFalse();
        error.Should().NotBeNullOrWhiteSpace();
        var parse = () => IpNetwork.Parse(text!);
        parse.Should().Throw<FormatException>();
    }

    [Fact]
    public void Equal_networks_compare_equal_and_print_in_cidr_form()
    {
        IpNetwork.Parse("10.1.0.0/16").Should().Be(IpNetwork.Parse(" 10.1.0.0/16"));
        IpNetwork.Parse("10.1.0.0/16").Should().NotBe(IpNetwork.Parse("10.1.0.0/17"));
        IpNetwork.Parse("::ffff:10.1.0.0/112").Should().Be(IpNetwork.Parse("10.1.0.0/16"));
        IpNetwork.Parse("2001:db8::/32").ToString().Should().Be("2001:db8::/32");
        default(IpNetwork).Contains(IPAddress.Loopback).Should().BeFalse();
    }

    [Fact]
    public void Seeded_random_text_never_throws()
    {
        var random = new Random(42);
        const string alphabet = "0123456789abcdef.:/%[] ,-fx";
        string[] seeds = ["10.1.0.0/16", "2001:db8::/32", "::ffff:10.0.0.0/104", "1.2.3.4"];
        for (int i = 0; i < 20_000; i++)
        {
            var chars = (i % 2 == 0 ? seeds[i % seeds.Length] : new string('0', random.Next(0, 40))).ToCharArray();
            for (int m = random.Next(0, 4); m > 0 && chars.Length > 0; m--)
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            if (IpNetwork.TryParse(new string(chars), out var network, out _))
                network.Contains(IPAddress.Loopback);
        }
    }
}
