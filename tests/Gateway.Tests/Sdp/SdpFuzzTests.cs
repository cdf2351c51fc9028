using System.Diagnostics;
using System.Net;
using System.Text;
using Gateway.Sdp;
using Xunit.Abstractions;

namespace Gateway.Tests.Sdp;

/// <summary>
/// Seeded random inputs to the parser, the negotiator and (for whatever negotiates) the answer writer:
/// mutations of real browser offers, recombined lines, and pure random text and bytes. Any exception
/// from the unguarded cores fails the test; every answer we write must parse back without errors.
/// </summary>
public class SdpFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    private static readonly string[] Seeds =
    [
        BrowserOffers.ChromeWhip, BrowserOffers.FirefoxWhip, BrowserOffers.ChromeWhep,
    ];

    private static readonly string[] Header = ["v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0"];

    /// <summary>Session-level transport lines, so that fragments often reach codec negotiation.</summary>
    private static readonly string[] Transport =
    [
        "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=fingerprint:" + BrowserOffers.ChromeFingerprint,
    ];

    private static readonly string[] Pool = Seeds.SelectMany(s => s.Split("\r\n")).Where(l => l.Length > 0).Distinct().ToArray();

    private static readonly string[] Tokens =
    [
        " ", "  ", ":", "/", "=", ";", "*", "-1", "0", "255", "256", "4294967296", "99999999999", "\t", "\u00e9", "\u2028",
        "a=", "m=", "\r", "\0", "{", "}", "BUNDLE", "FID", "rtx", "apt=", "H264", "VP8", "opus", "actpass", "sha-256",
    ];

    private static readonly LocalSdpParameters Local = new("fuzz", "abcdefghijklmnopqrstuvwxyz",
        new SdpFingerprint("sha-256", new byte[32]), IPAddress.Loopback, 7882);

    [Fact]
    public void Parser_negotiator_and_writer_survive_random_input()
    {
        var random = new Random(0x5D9);
        int parsed = 0, negotiated = 0;
        var codes = new Dictionary<SdpNegotiationErrorCode, int>();
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < Iterations; i++)
        {
            SdpParseResult result;
            if (i % 10 == 8)
            {
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                if (random.Next(2) == 0 && bytes.Length > 4)
                    "v=0\n"u8.CopyTo(bytes);
                result = SdpParser.ParseCore(bytes, SdpLimits.Default);
            }
            else
            {
                var input = (i % 10) switch
                {
                    <= 3 => Mutate(random, Window(random, Seeds[random.Next(Seeds.Length)]), random.Next(0, 4)),
                    <= 6 => Mutate(random, Recombine(random), random.Next(0, 3)),
                    7 => RandomText(random),
                    // Whole offers are costly (~200 lines): one input in 50.
                    _ => i % 50 == 9
                        ? Mutate(random, Seeds[random.Next(Seeds.Length)], random.Next(1, 6))
                        : Mutate(random, Window(random, Seeds[random.Next(Seeds.Length)]), random.Next(1, 3)),
                };
                result = SdpParser.ParseCore(input, SdpLimits.Default);
            }

            (result.Success ^ result.Errors.Count > 0).Should().BeTrue();
            if (!result.Success)
                continue;
            parsed++;
            foreach (var mode in new[] { NegotiationMode.Publish, NegotiationMode.Subscribe })
            {
                var negotiation = SdpNegotiator.NegotiateCore(result.Description, mode, ServerCapabilities.Default, null);
                (negotiation.Success ^ negotiation.Error is not null).Should().BeTrue();
                if (!negotiation.Success)
                {
                    negotiation.Error!.StatusCode.Should().BeOneOf(400, 406);
                    codes[negotiation.Error.Code] = codes.GetValueOrDefault(negotiation.Error.Code) + 1;
                    continue;
                }
                negotiated++;
                var tracks = negotiation.Session.AcceptedMedia.Where(m => m.Mid is not null)
                    .ToDictionary(m => m.Mid!, m => new OutgoingTrack((uint)m.Index + 1, "c", "s", "t" + m.Index) { RtxSsrc = 1000 });
                var answer = SdpAnswerWriter.Write(negotiation.Session, Local, tracks);
                var reparsed = SdpParser.ParseCore(answer, SdpLimits.Default);
                reparsed.Errors.Should().BeEmpty("our answer must parse: {0}", answer);
            }
        }
        output.WriteLine($"{Iterations} inputs, {parsed} parsed, {negotiated} negotiations succeeded, {stopwatch.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU");
        output.WriteLine(string.Join(", ", codes.Select(c => $"{c.Key}={c.Value}")));
        parsed.Should().BeGreaterThan(Iterations / 10, "mutations should often stay valid to reach the negotiator");
        negotiated.Should().BeGreaterThan(Iterations / 50);
    }

    /// <summary>The header plus a random run of the offer's lines.</summary>
    private static string Window(Random random, string seed)
    {
        var lines = seed.Split("\r\n");
        var start = random.Next(4, lines.Length);
        var count = random.Next(0, Math.Min(30, lines.Length - start) + 1);
        var transport = random.Next(3) == 0 ? [] : Transport;
        return string.Join(random.Next(3) == 0 ? "\n" : "\r\n", Header.Concat(transport).Concat(lines.Skip(start).Take(count))) + "\r\n";
    }

    /// <summary>The m= sections of all seeds, each as its lines without a=mid and ICE credentials.</summary>
    private static readonly string[][] Sections = Seeds
        .SelectMany(seed => seed.Split("m=").Skip(1))
        .Select(section => ("m=" + section).Split("\r\n")
            .Where(l => l.Length > 0 && !l.StartsWith("a=mid") && !l.StartsWith("a=ice-ufrag") && !l.StartsWith("a=ice-pwd"))
            .ToArray())
        .ToArray();

    /// <summary>A plausible offer: header, transport, BUNDLE, then sections sampled from the seeds' sections
    /// with some of their lines dropped.</summary>
    private static string Recombine(Random random)
    {
        var builder = new StringBuilder();
        foreach (var line in Header)
            builder.Append(line).Append("\r\n");
        if (random.Next(4) != 0)
        {
            foreach (var line in Transport)
                builder.Append(line).Append("\r\n");
        }
        var count = random.Next(1, 4);
        if (random.Next(5) != 0)
            builder.Append("a=group:BUNDLE ").AppendJoin(' ', Enumerable.Range(0, count)).Append("\r\n");
        for (var m = 0; m < count; m++)
        {
            var section = Sections[random.Next(Sections.Length)];
            builder.Append(section[0]).Append("\r\n");
            if (random.Next(5) != 0)
                builder.Append("a=mid:").Append(m).Append("\r\n");
            var keep = random.NextDouble();
            foreach (var line in section.Skip(1))
            {
                if (random.NextDouble() < keep)
                    builder.Append(line).Append("\r\n");
            }
        }
        return builder.ToString();
    }

    private static string Mutate(Random random, string text, int mutations)
    {
        var builder = new StringBuilder(text);
        for (var i = 0; i < mutations && builder.Length > 0; i++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(6))
            {
                case 0: builder[at] = (char)random.Next(0x20, 0x7F); break;
                case 1: builder.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                case 2: builder.Remove(at, Math.Min(random.Next(1, 20), builder.Length - at)); break;
                case 3: builder[at] = char.IsAsciiDigit(builder[at]) ? (char)('0' + random.Next(10)) : builder[at]; break;
                case 4: builder.Insert(at, Pool[random.Next(Pool.Length)] + "\r\n"); break;
                default: builder[at] = (char)random.Next(0, 0x3000); break;
            }
        }
        return builder.ToString();
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "v=0oamct \r\n:/1234567890";
        var chars = new char[random.Next(0, 200)];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x100) : alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }
}
