using MediaPlane.Rtcp;
using MediaPlane.Rtp;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// ffmpeg's own sender reports put each output's first timestamp at the wall time its header was written
/// (rtpenc: first_rtcp_ntp_time), which for video comes after the encoder's first frame: 200 ms to seconds
/// apart from audio on a loaded machine, so they do not describe capture. As a WebRTC sender does, these
/// reports come from one capture clock instead: media time 0 of every stream (its first RTP timestamp: the
/// lavfi sources all start at 0) at one instant T0, then one report per second and stream.
/// </summary>
public static class SenderClockReports
{
    /// <param name="clockRates">RTP clock rate per track (90000 video, 48000 Opus).</param>
    public static List<CapturedPacket> Replace(List<CapturedPacket> packets, int seconds, params int[] clockRates)
    {
        var result = packets.Where(p => !p.IsRtcp).ToList();
        long t0 = result[0].ArrivalUnixMicros;
        for (int track = 0; track < clockRates.Length; track++)
        {
            var firstPacket = result.First(p => p.Track == track);
            RtpPacketReader.TryParse(firstPacket.Data, out var rtp, out _);
            uint ssrc = rtp.Ssrc, baseTimestamp = rtp.Timestamp;
            for (int second = 0; second <= seconds; second++)
            {
                var report = new byte[28];
                long unixMicros = t0 + second * 1_000_000L;
                ulong ntp = ((ulong)(unixMicros / 1_000_000 + 2_208_988_800) << 32) | (ulong)((unixMicros % 1_000_000 << 32) / 1_000_000);
                RtcpSenderReport.TryWrite(report, ssrc, ntp, baseTimestamp + (uint)(second * clockRates[track]), 0, 0, [], out _);
                result.Add(new CapturedPacket(track, true, firstPacket.ArrivalUnixMicros - 1 + second * 1_000_000L, report));
            }
        }
        return [.. result.OrderBy(p => p.ArrivalUnixMicros)];
    }
}
