using System.Globalization;
using MediaPlane.Recording;
using MediaPlane.Recording.WebM;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// A participant publishes 3 s, leaves, and comes back 2 s later with new streams (new SSRCs, sequence and
/// timestamp bases): the recording continues in the same file, with the gap, and the file decodes cleanly.
/// </summary>
public sealed class RejoinTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rec-rejoin-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_participant_who_leaves_and_returns_continues_in_the_same_file_after_a_gap()
    {
        const string inputs = "-f lavfi -i testsrc=size=320x240:rate=15:duration=3 -f lavfi -i sine=frequency=440:sample_rate=48000:duration=3";
        string[] outputs = ["-map 0:v -c:v libvpx -deadline realtime -cpu-used 8 -lag-in-frames 0 -g 30 -b:v 300k", "-map 1:a -c:a libopus -b:a 48k -ac 2"];
        var first = (await RtpCapture.RunAsync(inputs, outputs, TimeSpan.FromSeconds(60))).Where(p => !p.IsRtcp).ToList();
        var second = (await RtpCapture.RunAsync(inputs, outputs, TimeSpan.FromSeconds(60))).Where(p => !p.IsRtcp).ToList();

        // Timing from arrival (no sender reports here): the second session starts 5 s after the first began.
        long shift = first[0].ArrivalUnixMicros + 5_000_000 - second[0].ArrivalUnixMicros;
        var both = first.Concat(second.Select(p => p with { ArrivalUnixMicros = p.ArrivalUnixMicros + shift })).ToList();
        var file = Path.Combine(_directory, "rejoin.webm");
        using (var recording = RecordingReplay.Record(file, [MediaCodec.Vp8, MediaCodec.Opus], both,
                   writer: (stream, tracks) => new WebMWriter(stream, tracks)))
            recording.DroppedFrames(0).Should().Be(0);

        var probe = await Ffmpeg.ProbeAsync(file);
        probe.GetProperty("streams").GetArrayLength().Should().Be(2);
        double duration = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        duration.Should().BeApproximately(8, 0.5, "3 s, a 2 s gap, 3 s");
        (await Ffmpeg.DecodeErrorsAsync(file)).Should().BeEmpty();
        (await Ffmpeg.DecodeErrorsAsync(file, "-ss 6")).Should().BeEmpty();
    }
}
