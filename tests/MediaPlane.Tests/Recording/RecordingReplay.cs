using MediaPlane.Recording;
using MediaPlane.Recording.Pipeline;
using MediaPlane.Recording.WebM;
using MediaPlane.Rtcp;

namespace MediaPlane.Tests.Recording;

/// <summary>Feeds captured RTP/RTCP into a <see cref="ParticipantRecording"/> in arrival order, optionally dropping packets.</summary>
public static class RecordingReplay
{
    public static ParticipantRecording Record(string file, IReadOnlyList<MediaCodec> codecs, IEnumerable<CapturedPacket> packets,
        double dropFraction = 0, int seed = 1, Func<Stream, IReadOnlyList<RecordingTrack>, IRecordingWriter>? writer = null)
    {
        writer ??= (stream, tracks) => new WebMWriter(stream, tracks);
        var recording = new ParticipantRecording(codecs, tracks => writer(new FileStream(file, FileMode.Create, FileAccess.ReadWrite, FileShare.Read), tracks));
        var random = new Random(seed);
        long last = 0;
        foreach (var packet in packets)
        {
            last = packet.ArrivalUnixMicros;
            if (packet.IsRtcp)
            {
                var reader = new RtcpCompoundReader(packet.Data);
                while (reader.TryReadNext(out var rtcp))
                {
                    if (rtcp.PacketType == RtcpPacketType.SenderReport && RtcpSenderReport.TryParse(rtcp.Bytes, out var report, out _))
                        recording.OnSenderReport(packet.Track, report.SenderSsrc, report.NtpTimestamp, report.RtpTimestamp);
                }
                continue;
            }
            if (dropFraction > 0 && random.NextDouble() < dropFraction)
                continue;
            recording.OnRtpPacket(packet.Track, packet.Data, packet.ArrivalUnixMicros);
        }
        recording.Poll(last + 10_000_000); // give up on whatever is still missing
        recording.Close();
        return recording;
    }
}
