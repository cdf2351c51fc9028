using System.Globalization;
using MediaPlane.Recording;
using MediaPlane.Recording.WebM;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// A clip with a white flash and a 1 kHz beep at the start of every second, encoded by ffmpeg to two RTP
/// streams with sender reports. The audio reaches the recorder 300 ms later than the video (as over a slower
/// path), so only the sender reports' NTP time can line them up. In the written file, each flash and its beep
/// must be within 40 ms.
/// </summary>
public sealed class LipSyncTests : IDisposable
{
    private const int Seconds = 5;
    private const long AudioPathDelayMicros = 300_000;
    private readonly string _directory = Directory.CreateTempSubdirectory("rec-sync-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Flash_and_beep_stay_within_40_ms_when_audio_arrives_300_ms_late()
    {
        string inputs =
            $"-f lavfi -i color=c=black:size=320x240:rate=30:duration={Seconds},drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(t\\,1)\\,0.03)' " +
            $"-f lavfi -i aevalsrc='if(lt(mod(t\\,1)\\,0.05)\\,0.8*sin(2*PI*1000*t)\\,0)':s=48000:d={Seconds}";
        var packets = await RtpCapture.RunAsync(inputs,
            ["-map 0:v -c:v libvpx -deadline realtime -cpu-used 8 -lag-in-frames 0 -g 30 -b:v 500k", "-map 1:a -c:a libopus -b:a 64k -ac 2"],
            TimeSpan.FromSeconds(90));
        var delayed = SenderClockReports.Replace(packets, Seconds, 90000, 48000)
            .Select(p => p.Track == 1 ? p with { ArrivalUnixMicros = p.ArrivalUnixMicros + AudioPathDelayMicros } : p)
            .OrderBy(p => p.ArrivalUnixMicros)
            .ToList();
        var file = Path.Combine(_directory, "sync.webm");
        using (var recording = RecordingReplay.Record(file, [MediaCodec.Vp8, MediaCodec.Opus], delayed,
                   writer: (stream, tracks) => new WebMWriter(stream, tracks)))
        {
            recording.HasSenderReport(0).Should().BeTrue();
            recording.HasSenderReport(1).Should().BeTrue();
        }

        var diagnostics = string.Join("; ", Enumerable.Range(0, 2).Select(track => Describe(packets, track)));
        var flashes = await FlashTimesAsync(file);
        var beeps = await BeepOnsetsAsync(file);
        // Audio that arrives before the first video keyframe opens the file is not kept; under load ffmpeg's
        // video can lag its audio by seconds, so only flashes from the first recorded beep on are judged.
        beeps.Should().NotBeEmpty();
        var judged = flashes.Where(f => f >= beeps[0] - 0.5).ToList();
        judged.Should().HaveCountGreaterThanOrEqualTo(Seconds - 2);
        foreach (double flash in judged)
        {
            double nearest = beeps.MinBy(b => Math.Abs(b - flash));
            Math.Abs(nearest - flash).Should().BeLessThan(0.040, $"{diagnostics}: flash at {flash:F3} s, beep at {nearest:F3} s (beeps: {string.Join(' ', beeps.Select(b => b.ToString("F3")))})");
        }
    }

    private static string Describe(List<CapturedPacket> packets, int track)
    {
        var firstRtp = packets.First(p => p.Track == track && !p.IsRtcp);
        var reports = packets.Where(p => p.Track == track && p.IsRtcp).Select(p =>
        {
            MediaPlane.Rtcp.RtcpSenderReport.TryParse(p.Data, out var sr, out _);
            long unix = ((long)(sr.NtpTimestamp >> 32) - 2_208_988_800) * 1_000_000 + (long)(((sr.NtpTimestamp & 0xFFFFFFFF) * 1_000_000) >> 32);
            return $"SR(rtp {sr.RtpTimestamp}, ntp {unix % 100_000_000}, arr {p.ArrivalUnixMicros % 100_000_000})";
        });
        MediaPlane.Rtp.RtpPacketReader.TryParse(firstRtp.Data, out var rtp, out _);
        return $"track {track}: first rtp ts {rtp.Timestamp} arr {firstRtp.ArrivalUnixMicros % 100_000_000} {string.Join(' ', reports)}";
    }

    /// <summary>Times of the first bright frame of each flash (signalstats' mean luma).</summary>
    private static async Task<List<double>> FlashTimesAsync(string file)
    {
        var csv = await Ffmpeg.StdoutAsync("ffprobe",
            $"-v error -f lavfi -i \"movie={file},signalstats\" -show_entries frame=pts_time:frame_tags=lavfi.signalstats.YAVG -of csv=p=0",
            TimeSpan.FromSeconds(60));
        return Onsets(csv, threshold: 128);
    }

    /// <summary>Times where the 5 ms RMS level first rises above -30 dBFS after silence.</summary>
    private static async Task<List<double>> BeepOnsetsAsync(string file)
    {
        var csv = await Ffmpeg.StdoutAsync("ffprobe",
            $"-v error -f lavfi -i \"amovie={file},asetnsamples=n=240,astats=metadata=1:reset=1\" -show_entries frame=pts_time:frame_tags=lavfi.astats.Overall.RMS_level -of csv=p=0",
            TimeSpan.FromSeconds(60));
        return Onsets(csv, threshold: -30);
    }

    private static List<double> Onsets(string csv, double threshold)
    {
        var onsets = new List<double>();
        bool above = false;
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',');
            if (fields.Length < 2 || !double.TryParse(fields[0], CultureInfo.InvariantCulture, out double time))
                continue;
            bool now = double.TryParse(fields[1], CultureInfo.InvariantCulture, out double value) && value > threshold;
            if (now && !above)
                onsets.Add(time);
            above = now;
        }
        return onsets;
    }
}
