using System.Globalization;
using MediaPlane.Recording;
using MediaPlane.Recording.Mp4;
using MediaPlane.Recording.WebM;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// ffmpeg encodes lavfi test sources to RTP (a real packetizer we did not write); we rebuild the frames and write
/// WebM or fragmented MP4; ffprobe and ffmpeg judge the files: codecs, size, duration, a silent decode, seeking,
/// a copy cut short as by a crash, and the same with 5% of the packets dropped before the depacketizer.
/// </summary>
public sealed class RecordedFileTests : IDisposable
{
    private const double ClipSeconds = 6;
    private readonly string _directory = Directory.CreateTempSubdirectory("rec-file-").FullName;

    private static readonly string Inputs =
        $"-f lavfi -i testsrc=size=320x240:rate=15:duration={ClipSeconds} -f lavfi -i sine=frequency=440:sample_rate=48000:duration={ClipSeconds}";
    private const string OpusAudio = "-map 1:a -c:a libopus -b:a 48k -ac 2";

    private static readonly Dictionary<string, (string Arguments, MediaCodec Codec, string Container)> Videos = new()
    {
        ["vp8"] = ("-map 0:v -c:v libvpx -deadline realtime -cpu-used 8 -lag-in-frames 0 -g 30 -b:v 300k", MediaCodec.Vp8, "webm"),
        ["vp9"] = ("-map 0:v -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -lag-in-frames 0 -g 30 -b:v 300k -strict experimental", MediaCodec.Vp9, "webm"),
        // WebRTC's H.264: constrained baseline, no B-frames (decode order = presentation order).
        ["h264"] = ("-map 0:v -c:v libx264 -pix_fmt yuv420p -profile:v baseline -tune zerolatency -preset ultrafast -bf 0 -g 30 -b:v 300k", MediaCodec.H264, "mp4"),
    };

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("REC_KEEP") is null)
            Directory.Delete(_directory, recursive: true);
    }

    private async Task<(string File, MediaPlane.Recording.Pipeline.ParticipantRecording Recording)> RecordAsync(string video, double loss)
    {
        var (arguments, codec, container) = Videos[video];
        var captured = await RtpCapture.RunAsync(Inputs, [arguments, OpusAudio], TimeSpan.FromSeconds(90));
        var packets = SenderClockReports.Replace(captured, (int)ClipSeconds, 90000, 48000);
        var file = Path.Combine(_directory, $"{video}-{loss}.{container}");
        var recording = RecordingReplay.Record(file, [codec, MediaCodec.Opus], packets, dropFraction: loss, seed: 7,
            writer: container == "webm" ? (stream, tracks) => new WebMWriter(stream, tracks) : (stream, tracks) => new FragmentedMp4Writer(stream, tracks));
        return (file, recording);
    }

    [Theory]
    [InlineData("vp8")]
    [InlineData("vp9")]
    [InlineData("h264")]
    public async Task A_recording_has_the_codecs_and_duration_decodes_silently_and_seeks(string video)
    {
        var (file, recording) = await RecordAsync(video, 0);
        using var _ = recording;
        recording.DroppedFrames(0).Should().Be(0);

        var probe = await Ffmpeg.ProbeAsync(file);
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        streams.Select(s => s.GetProperty("codec_name").GetString()).Should().BeEquivalentTo([video, "opus"]);
        streams[0].GetProperty("width").GetInt32().Should().Be(320);
        streams[0].GetProperty("height").GetInt32().Should().Be(240);
        Seconds(probe.GetProperty("format").GetProperty("duration")).Should().BeApproximately(ClipSeconds, 0.5);
        (await Ffmpeg.DecodeErrorsAsync(file)).Should().BeEmpty();
        (await Ffmpeg.DecodeErrorsAsync(file, "-ss 4")).Should().BeEmpty();
        (await Ffmpeg.RunAsync("ffmpeg", $"-hide_banner -v error -ss 5 -i \"{file}\" -frames:v 1 -f null -", TimeSpan.FromSeconds(30))).Should().BeEmpty();
    }

    [Theory]
    [InlineData("vp8")]
    [InlineData("h264")]
    public async Task A_recording_cut_short_by_a_crash_plays_up_to_its_last_complete_cluster_or_fragment(string video)
    {
        var (file, recording) = await RecordAsync(video, 0);
        recording.Dispose();
        int allFrames = await DecodedVideoFramesAsync(file);
        var bytes = await File.ReadAllBytesAsync(file);
        var cut = Path.Combine(_directory, "cut-" + Path.GetFileName(file));
        // Cut in the middle of the third cluster/fragment, as a crash would: all frames of the first two must play.
        var unitStarts = UnitStarts(bytes, video == "h264" ? "moof"u8.ToArray() : [0x1F, 0x43, 0xB6, 0x75]);
        unitStarts.Count.Should().BeGreaterThanOrEqualTo(3);
        int thirdEnd = unitStarts.Count > 3 ? unitStarts[3] : bytes.Length;
        await File.WriteAllBytesAsync(cut, bytes[..((unitStarts[2] + thirdEnd) / 2)]);
        var complete = Path.Combine(_directory, "complete-" + Path.GetFileName(file));
        await File.WriteAllBytesAsync(complete, bytes[..unitStarts[2]]); // just the first two units, whole
        int completeFrames = await DecodedVideoFramesAsync(complete);
        completeFrames.Should().BeGreaterThan(0);

        int cutFrames = await DecodedVideoFramesAsync(cut);
        cutFrames.Should().BeGreaterThanOrEqualTo(completeFrames).And.BeLessThan(allFrames);
        (await Ffmpeg.DecodeErrorsAsync(cut)).Should().NotContainAny("corrupt", "concealing", "error while decoding");
    }

    [Theory]
    [InlineData("vp8")]
    [InlineData("h264")]
    public async Task With_5_percent_of_packets_lost_broken_frames_are_dropped_and_the_file_decodes_without_error(string video)
    {
        var (file, recording) = await RecordAsync(video, 0.05);
        using var _ = recording;
        recording.DroppedFrames(0).Should().BeGreaterThan(0, "5% loss breaks frames, which must be dropped, not written");
        recording.FramesWritten.Should().BeGreaterThan(0);
        (await Ffmpeg.DecodeErrorsAsync(file)).Should().BeEmpty();
    }

    private static List<int> UnitStarts(byte[] file, byte[] marker)
    {
        var starts = new List<int>();
        int offset = 0;
        while (true)
        {
            int found = file.AsSpan(offset).IndexOf(marker);
            if (found < 0)
                return starts;
            starts.Add(offset + found);
            offset += found + marker.Length;
        }
    }

    private static async Task<int> DecodedVideoFramesAsync(string file)
    {
        var output = await Ffmpeg.StdoutAsync("ffprobe",
            $"-v quiet -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 \"{file}\"", TimeSpan.FromSeconds(60));
        return int.Parse(output.Trim().TrimEnd(','), CultureInfo.InvariantCulture);
    }

    private static double Seconds(System.Text.Json.JsonElement value) => double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}
