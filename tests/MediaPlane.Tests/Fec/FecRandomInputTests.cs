using MediaPlane.Fuzz.Targets;

namespace MediaPlane.Tests.Fec;

/// <summary>Seeded random inputs through the FEC fuzz target: mutated seeds, random bodies behind a plausible header, random bytes.</summary>
public class FecRandomInputTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory,
        "..", "..", "..", "..", "MediaPlane.Fuzz", "corpus", "fec");

    [Fact]
    public void Fec_parse_and_recover_survive_100k_random_inputs()
    {
        var target = new FecFuzzTarget();
        var seeds = FecFuzzTarget.Seeds().Select(s => s.Bytes).ToArray();
        var random = new Random(2022);
        var buffer = new byte[200];
        for (int n = 0; n < 100_000; n++)
        {
            int length;
            int mode = random.Next(100);
            if (mode < 60)
            {
                var seed = seeds[random.Next(seeds.Length)];
                seed.CopyTo(buffer, 0);
                length = seed.Length;
                for (int m = random.Next(0, 4); m > 0 && length > 0; m--)
                {
                    int at = random.Next(length);
                    switch (random.Next(3))
                    {
                        case 0: buffer[at] ^= (byte)(1 << random.Next(8)); break;
                        case 1: buffer[at] = (byte)random.Next(256); break;
                        default: length = random.Next(length + 1); break;
                    }
                }
            }
            else if (mode < 85)
            {
                length = random.Next(12, 120);
                random.NextBytes(buffer.AsSpan(0, length));
                buffer.AsSpan(0, 7).Clear();
                buffer[7] = (byte)random.Next(90, 110);
                buffer[8] = (byte)random.Next(0, 20);
                buffer[9] = 0;
            }
            else
            {
                length = random.Next(0, 100);
                random.NextBytes(buffer.AsSpan(0, length));
            }
            var input = buffer.AsSpan(0, length).ToArray();
            try
            {
                target.Run(input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"fec input #{n} ({Convert.ToHexString(input)}) threw: {e}");
            }
        }
    }

    [Fact]
    public void The_committed_corpus_holds_the_seeds()
    {
        // FEC_WRITE_SEEDS=1 rewrites the corpus after a deliberate format change.
        bool write = Environment.GetEnvironmentVariable("FEC_WRITE_SEEDS") == "1";
        foreach (var (name, bytes) in FecFuzzTarget.Seeds())
        {
            string path = Path.Combine(CorpusDirectory, name);
            if (write)
                File.WriteAllBytes(path, bytes);
            File.ReadAllBytes(path).Should().Equal(bytes, $"corpus/fec/{name} is the seed the target generates");
        }
    }
}
