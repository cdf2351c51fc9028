using MediaPlane.Rtcp;

namespace MediaPlane.Fuzz.Targets;

/// <summary>RTCP: walk the compound packet and run every per-type parser and its accessors.</summary>
public sealed class RtcpFuzzTarget : IFuzzTarget
{
    public string Name => "rtcp";

    public void Run(ReadOnlySpan<byte> input)
    {
        var reader = new RtcpCompoundReader(input);
        int consumed = 0;
        while (reader.TryReadNext(out var packet))
        {
            FuzzCheck.That(FuzzCheck.Within(input[consumed..], packet.Bytes) && packet.Bytes.Length >= 4 && packet.Bytes.Length % 4 == 0,
                "packets tile the datagram");
            consumed += packet.Bytes.Length;
            Exercise(packet.Bytes);
        }
        FuzzCheck.That(reader.Error != RtcpParseError.None || consumed == input.Length, "a clean walk consumes everything");
        // Per-type parsers must also survive being handed arbitrary bytes directly.
        Exercise(input);
    }

    private static void Exercise(ReadOnlySpan<byte> bytes)
    {
        if (RtcpSenderReport.TryParse(bytes, out var sr, out _))
        {
            _ = sr.NtpTimestamp + sr.RtpTimestamp + sr.PacketCount + sr.OctetCount + sr.SenderSsrc;
            for (int i = 0; i < sr.ReportCount; i++)
                _ = sr.GetReportBlock(i);
        }
        if (RtcpReceiverReport.TryParse(bytes, out var rr, out _))
        {
            Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[rr.ReportCount];
            for (int i = 0; i < rr.ReportCount; i++)
                blocks[i] = rr.GetReportBlock(i);
            Span<byte> rebuilt = stackalloc byte[8 + 24 * 31];
            FuzzCheck.That(RtcpReceiverReport.TryWrite(rebuilt, rr.SenderSsrc, blocks, out int written)
                           && RtcpReceiverReport.TryParse(rebuilt[..written], out var again, out _)
                           && again.ReportCount == rr.ReportCount && (rr.ReportCount == 0 || again.GetReportBlock(0) == blocks[0]),
                "receiver report round-trips");
        }
        if (RtcpSourceDescription.TryParse(bytes, out var sdes, out _))
        {
            int offset = 0;
            for (int i = 0; i < sdes.ChunkCount; i++)
                FuzzCheck.That(sdes.TryReadChunk(ref offset, out _, out _), "validated chunks read back");
            sdes.TryGetCname(out _, out _);
        }
        if (RtcpBye.TryParse(bytes, out var bye, out _))
        {
            for (int i = 0; i < bye.SourceCount; i++)
                _ = bye.GetSsrc(i);
            FuzzCheck.That(FuzzCheck.Within(bytes, bye.Reason), "reason inside");
        }
        if (RtcpApp.TryParse(bytes, out var app, out _))
            FuzzCheck.That(app.Name.Length == 4 && FuzzCheck.Within(bytes, app.Data), "app slices inside");
        if (RtcpGenericNack.TryParse(bytes, out var nack, out _))
        {
            Span<ushort> lost = stackalloc ushort[17 * nack.ItemCount];
            FuzzCheck.That(nack.CopyLostSequenceNumbers(lost) >= nack.ItemCount, "each item names at least its PID");
        }
        if (RtcpPictureLossIndication.TryParse(bytes, out var pli, out _))
            _ = pli.MediaSsrc;
        if (RtcpFullIntraRequest.TryParse(bytes, out var fir, out _))
        {
            for (int i = 0; i < fir.EntryCount; i++)
                fir.GetEntry(i, out _, out _);
        }
        if (RtcpRemb.TryParse(bytes, out var remb, out _))
        {
            for (int i = 0; i < remb.SsrcCount; i++)
                _ = remb.GetSsrc(i);
        }
        if (RtcpTransportFeedback.TryParse(bytes, out var twcc, out _))
        {
            var results = new TwccPacketResult[twcc.PacketStatusCount];
            FuzzCheck.That(twcc.TryGetPacketResults(results, out int count) && count == twcc.PacketStatusCount, "all statuses decode");
            int received = 0;
            foreach (var r in results)
                received += r.Status == TwccStatus.NotReceived ? 0 : 1;
            FuzzCheck.That(received == twcc.ReceivedCount, "received count matches the statuses");
        }
    }
}
