using System.Text;
using Gateway.WebRtc;

namespace Gateway.Tests.WebRtc;

public sealed class IceRestartFragmentTests
{
    private const string Browser = "a=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:Xy12\r\na=ice-pwd:abcdefghijklmnopqrstuv+/\r\na=candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host\r\n";

    [Fact]
    public void A_browser_restart_fragment_is_read_and_answered_with_our_credentials_and_candidate()
    {
        IceRestartFragment.IsRestart(Browser).Should().BeTrue();
        IceRestartFragment.TryParse(Browser, out var fragment, out var error).Should().BeTrue(error);
        fragment!.Ufrag.Should().Be("Xy12");
        fragment.Password.Should().Be("abcdefghijklmnopqrstuv+/");
        fragment.Mid.Should().Be("0");

        var answer = fragment.WriteAnswer("srv1", "serverpassword12345678", "127.0.0.1", 7882);
        answer.Should().Contain("a=group:BUNDLE 0 1\r\n").And.Contain("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n")
            .And.Contain("a=ice-ufrag:srv1\r\na=ice-pwd:serverpassword12345678\r\n")
            .And.Contain("a=candidate:1 1 udp 2130706431 127.0.0.1 7882 typ host\r\n").And.EndWith("a=end-of-candidates\r\n");
    }

    [Theory]
    [InlineData("a=candidate:1 1 udp 1 10.0.0.1 9 typ host\r\n", false, "")]
    [InlineData("a=ice-ufrag:abcd\r\n", true, "both")]
    [InlineData("a=ice-ufrag:ab\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n", true, "4-256")]
    [InlineData("a=ice-ufrag:ab cd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n", true, "4-256")]
    [InlineData("a=ice-ufrag:abcd\r\na=ice-pwd:tooshort\r\n", true, "22-256")]
    [InlineData("a=ice-ufrag:abcd\r\na=ice-ufrag:efgh\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n", true, "two different")]
    public void Trickle_is_not_a_restart_and_bad_credentials_are_refused_with_a_reason(string text, bool isRestart, string reason)
    {
        IceRestartFragment.IsRestart(text).Should().Be(isRestart);
        if (!isRestart)
            return;
        IceRestartFragment.TryParse(text, out var fragment, out var error).Should().BeFalse();
        fragment.Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Hundred_thousand_mutated_and_random_fragments_never_throw()
    {
        var random = new Random(9725);
        var seed = Encoding.UTF8.GetBytes(Browser);
        int parsed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = (byte[])seed.Clone();
                for (int flips = random.Next(1, 8); flips > 0; flips--)
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                if (random.Next(4) == 0)
                    input = input[..random.Next(input.Length)];
            }
            else
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
            }
            var text = Encoding.UTF8.GetString(input);
            if (IceRestartFragment.TryParse(text, out var fragment, out var error))
            {
                parsed++;
                fragment!.WriteAnswer("srv1", "serverpassword12345678", "127.0.0.1", 1).Should().NotContain("\n\n");
            }
            else
                error.Should().NotBeNullOrEmpty();
        }
        parsed.Should().BeGreaterThan(0, "mutations that keep the credentials intact still parse");
    }
}
