using MediaPlane.Recording;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// ffmpeg encodes lavfi test sources to RTP; we depacketize and write WebM; ffprobe/ffmpeg judge the file.
/// </summary>
public sealed class WebMRecordingTests : IDisposable
{
    private const double ClipSeconds = 6;
    private readonly string _directory = Directory.CreateTempSubdirectory("rec-webm-").FullName;

    private static readonly string Inputs =
        $"-f lavfi -i testsrc=size=320x240:rate=15:duration={ClipSeconds} -f lavfi -i sine=frequency=440:sample_rate=48000:duration={ClipSeconds}";
    private const string Vp8Video = "-map 0:v -c:v libvpx -deadline realtime -cpu-used 8 -lag-in-frames 0 -g 30 -b:v 300k";
    private const string Vp9Video = "-map 0:v -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -lag-in-frames 0 -g 30 -b:v 300k -strict experimental";
    private const string OpusAudio = "-map 1:a -c:a libopus -b:a 48k -ac 2";

    public void Dispose() { if (Environment.GetEnvironmentVariable("REC_KEEP") is null) Directory.Delete(_directory, recursive: true); }

    [Theory]
    [InlineData("vp8", 0.0)]
    [InlineData("vp8", 0.05)]
    [InlineData("vp9", 0.0)]
    public async Task Video_and_Opus_rebuilt_from_ffmpeg_RTP_make_a_WebM_file_that_decodes_cleanly_and_seeks(string videoCodec, double loss)
    {
        var packets = await RtpCapture.RunAsync(Inputs, [videoCodec == "vp8" ? Vp8Video : Vp9Video, OpusAudio], TimeSpan.FromSeconds(60));
        var file = Path.Combine(_directory, $"{videoCodec}.webm");
        var codecs = new[] { videoCodec == "vp8" ? MediaCodec.Vp8 : MediaCodec.Vp9, MediaCodec.Opus };
        using var recording = RecordingReplay.Record(file, codecs, packets, dropFraction: loss, seed: 7);

        var probe = await Ffmpeg.ProbeAsync(file);
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        streams.Select(s => s.GetProperty("codec_name").GetString()).Should().BeEquivalentTo([videoCodec, "opus"]);
        streams[0].GetProperty("width").GetInt32().Should().Be(320);
        double duration = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        if (loss == 0)
            duration.Should().BeApproximately(ClipSeconds, 0.5);
        else
            recording.DroppedFrames(0).Should().BeGreaterThan(0, "5% loss breaks some frames, which must be dropped, not written");
        (await Ffmpeg.DecodeErrorsAsync(file)).Should().BeEmpty();
        (await Ffmpeg.DecodeErrorsAsync(file, "-ss 4")).Should().BeEmpty();
    }
}
