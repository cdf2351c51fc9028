using MediaPlane.Fuzz.Targets;
using MediaPlane.Relay.Protocol;

namespace MediaPlane.Tests.Relay.Protocol;

/// <summary>
/// Seeded random inputs through the relay-v2 fuzz target (parse and open): mutations of sealed packets,
/// random bodies behind a plausible header, pure random bytes. The target's invariants throw on violation.
/// </summary>
public class RelayV2RandomInputTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory,
        "..", "..", "..", "..", "MediaPlane.Fuzz", "corpus", "relay-v2");

    [Fact]
    public void Relay_v2_parse_and_open_survive_100k_random_inputs()
    {
        var target = new RelayV2FuzzTarget();
        var seeds = RelayV2FuzzTarget.Seeds().Select(s => s.Bytes).ToArray();
        var random = new Random(5869);
        var buffer = new byte[400];
        int opened = 0;
        for (int n = 0; n < 100_000; n++)
        {
            int length;
            int mode = random.Next(100);
            if (mode < 5)
            {
                var seed = seeds[random.Next(seeds.Length)];
                seed.CopyTo(buffer, 0);
                length = seed.Length;
                opened++;
            }
            else if (mode < 60)
            {
                var seed = seeds[random.Next(seeds.Length)];
                seed.CopyTo(buffer, 0);
                length = seed.Length;
                for (int m = random.Next(1, 4); m > 0 && length > 0; m--)
                {
                    int at = random.Next(length);
                    switch (random.Next(4))
                    {
                        case 0: buffer[at] ^= (byte)(1 << random.Next(8)); break;
                        case 1: buffer[at] = (byte)random.Next(256); break;
                        case 2: length = random.Next(length + 1); break;
                        default: buffer[random.Next(8)] = (byte)random.Next(10); break;
                    }
                }
            }
            else if (mode < 85)
            {
                length = random.Next(40, 200);
                random.NextBytes(buffer.AsSpan(0, length));
                buffer[0] = RelayV2Packet.Version;
                buffer[1] = (byte)random.Next(9);
                buffer[3] = (byte)random.Next(5, 9);
                buffer[4] = random.Next(4) == 0 ? (byte)0x80 : (byte)0;
                buffer[5] = (byte)random.Next(10);
                buffer[6] = buffer[7] = 0;
            }
            else
            {
                length = random.Next(0, 256);
                random.NextBytes(buffer.AsSpan(0, length));
            }
            var input = buffer.AsSpan(0, length).ToArray();
            try
            {
                target.Run(input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"relay-v2 input #{n} ({Convert.ToHexString(input)}) threw: {e}");
            }
        }
        opened.Should().BeGreaterThan(1000, "valid packets were part of the mix");
    }

    [Fact]
    public void Seeds_open_and_the_committed_corpus_holds_them()
    {
        // RELAY_V2_WRITE_SEEDS=1 rewrites the corpus after a deliberate format change.
        bool write = Environment.GetEnvironmentVariable("RELAY_V2_WRITE_SEEDS") == "1";
        foreach (var (name, bytes) in RelayV2FuzzTarget.Seeds())
        {
            var receiver = new RelayReceiveLink(new RelayKeyDerivation("fuzz-relay-v2-cluster-key-000000"u8).DeriveLinkKey(1, 2, 6));
            receiver.InstallKey(new RelayKeyDerivation("fuzz-relay-v2-cluster-key-000000"u8).DeriveLinkKey(1, 2, 7));
            receiver.TryOpen((byte[])bytes.Clone(), out _, out var error).Should().BeTrue($"seed {name} opens ({error})");
            string path = Path.Combine(CorpusDirectory, name);
            if (write)
                File.WriteAllBytes(path, bytes);
            File.ReadAllBytes(path).Should().Equal(bytes, $"corpus/relay-v2/{name} is the seed the target generates");
        }
    }
}
