using MediaPlane.Fuzz;
using MediaPlane.Fuzz.Targets;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// Seeded random-input runs of the depacketizer fuzz targets (their invariants throw on a violation): the
/// committed corpus seeds mutated, and pure random records.
/// </summary>
public sealed class DepacketizerRandomInputTests
{
    private const int Inputs = 20_000;

    public static TheoryData<string> Targets => new() { "depacketize-vp8", "depacketize-vp9", "depacketize-h264", "depacketize-av1", "depacketize-opus" };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Depacketizer_survives_random_inputs(string name)
    {
        IFuzzTarget target = name switch
        {
            "depacketize-vp8" => new Vp8DepacketizerFuzzTarget(),
            "depacketize-vp9" => new Vp9DepacketizerFuzzTarget(),
            "depacketize-h264" => new H264DepacketizerFuzzTarget(),
            "depacketize-av1" => new Av1DepacketizerFuzzTarget(),
            _ => new OpusDepacketizerFuzzTarget(),
        };
        var seeds = Directory.GetFiles(Path.Combine(CorpusRoot(), name)).Select(File.ReadAllBytes).ToArray();
        seeds.Should().NotBeEmpty();
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        for (int n = 0; n < Inputs; n++)
        {
            byte[] input;
            if (random.Next(2) == 0)
            {
                input = (byte[])seeds[random.Next(seeds.Length)].Clone();
                for (int flips = random.Next(1, 6); flips > 0 && input.Length > 0; flips--)
                    input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            else
            {
                input = new byte[random.Next(0, 400)];
                random.NextBytes(input);
            }
            try
            {
                target.Run(input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{name} input #{n} ({Convert.ToHexString(input)}) threw: {e}");
            }
        }
    }

    private static string CorpusRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var corpus = Path.Combine(directory.FullName, "tests", "MediaPlane.Fuzz", "corpus");
            if (Directory.Exists(corpus))
                return corpus;
        }
        throw new DirectoryNotFoundException("tests/MediaPlane.Fuzz/corpus");
    }
}
