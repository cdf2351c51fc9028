using MediaPlane.Contracts;
using System.Collections.Concurrent;
using System.Globalization;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using MediaPlane.Tests.WebRtc;
using MediaPlane.WebRtc;
using Rtc.TestClient;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// The recorder as a subscriber on a real media node: ffmpeg's VP8 + Opus RTP is published by our WebRTC client
/// over SRTP at its media pace, the node records it through taps on its producers, and ffprobe/ffmpeg judge the
/// file. With packets held back on the uplink the recorder NACKs them and asks for a keyframe, and the file still
/// decodes without an error.
/// </summary>
public sealed class LiveRecordingTests : IDisposable
{
    private const int ClipSeconds = 4;
    private readonly MediaNodeHarness _node = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("rec-live-").FullName;

    public void Dispose()
    {
        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<List<CapturedPacket>> CaptureAsync() =>
        await RtpCapture.RunAsync(
            $"-f lavfi -i testsrc=size=320x240:rate=15:duration={ClipSeconds} -f lavfi -i sine=frequency=440:sample_rate=48000:duration={ClipSeconds}",
            ["-map 0:v -c:v libvpx -deadline realtime -cpu-used 8 -lag-in-frames 0 -g 30 -b:v 300k", "-map 1:a -c:a libopus -b:a 48k -ac 2"],
            TimeSpan.FromSeconds(90));

    /// <summary>The published tracks, numbered as ffmpeg sent them (SSRC and payload type of each output's first packet).</summary>
    private static PublishedTrack[] Tracks(List<CapturedPacket> packets, string prefix, uint ssrcMask = 0)
    {
        PublishedTrack Track(int index, MediaKind kind, int clock, string codec)
        {
            RtpPacketReader.TryParse(packets.First(p => p.Track == index && !p.IsRtcp).Data, out var rtp, out _).Should().BeTrue();
            return new PublishedTrack($"{prefix}-{kind}", kind, rtp.Ssrc ^ ssrcMask, null, rtp.PayloadType, null, clock, codec);
        }
        return [Track(0, MediaKind.Video, 90000, "VP8"), Track(1, MediaKind.Audio, 48000, "opus")];
    }

    /// <summary>
    /// Sends the capture at its media pace (ffmpeg sent it as fast as it encoded): each packet at its RTP time after
    /// <c>start</c>, with one sender report a second and track mapping media time 0 of both to <c>start</c>.
    /// </summary>
    /// <param name="ssrcMask">XORed into every SSRC: the same media as a new stream (a participant who came back).</param>
    private static void Replay(WebRtcClientTransport client, List<CapturedPacket> captured, Func<int, ushort, bool>? drop = null, uint ssrcMask = 0)
    {
        long start = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10 + 50_000;
        var timed = new List<CapturedPacket>();
        var firstTimestamps = new Dictionary<int, uint>();
        foreach (var packet in captured.Where(p => !p.IsRtcp))
        {
            RtpPacketReader.TryParse(packet.Data, out var rtp, out _);
            uint first = firstTimestamps.TryGetValue(packet.Track, out var f) ? f : firstTimestamps[packet.Track] = rtp.Timestamp;
            int clock = packet.Track == 0 ? 90000 : 48000;
            timed.Add(packet with { ArrivalUnixMicros = start + (long)(uint)(rtp.Timestamp - first) * 1_000_000 / clock });
        }
        var schedule = SenderClockReports.Replace(timed, ClipSeconds, 90000, 48000);
        foreach (var original in schedule)
        {
            var packet = original with { Data = WithSsrcMask(original.Data, original.IsRtcp, ssrcMask) };
            while ((DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10 < packet.ArrivalUnixMicros)
                Thread.Sleep(1);
            if (packet.IsRtcp)
            {
                client.SendRtcp(packet.Data);
                continue;
            }
            RtpPacketReader.TryParse(packet.Data, out var rtp, out _);
            if (drop is null || !drop(packet.Track, rtp.SequenceNumber))
                client.SendRtp(packet.Data);
        }
    }

    /// <summary>RTP's SSRC is at bytes 8-11 (RFC 3550 §5.1), a sender report's at 4-7 (§6.4.1).</summary>
    private static byte[] WithSsrcMask(byte[] packet, bool isRtcp, uint mask)
    {
        if (mask == 0)
            return packet;
        var copy = packet.ToArray();
        var ssrc = copy.AsSpan(isRtcp ? 4 : 8, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ssrc, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ssrc) ^ mask);
        return copy;
    }

    private static double Seconds(System.Text.Json.JsonElement value) => double.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_published_participant_is_recorded_by_the_node_into_a_webm_that_decodes_with_both_tracks()
    {
        var captured = await CaptureAsync();
        var tracks = Tracks(captured, "alice");
        using var publisher = await _node.ConnectAsync("pub-alice", tracks, []);
        var started = _node.Server.Record(new LiveRecordingRequest("rec-a", _directory, RecordingContainer.WebM,
            [new RecordedFileRequest("alice.webm", [.. tracks.Select(t => t.StreamId)])]));
        started.Files.Should().ContainSingle().Which.State.Should().Be(RecordedFileState.Waiting);

        await Task.Factory.StartNew(() => Replay(publisher, captured), TaskCreationOptions.LongRunning);
        var status = _node.Server.StopRecording("rec-a")!;

        var file = status.Files.Should().ContainSingle().Subject;
        file.State.Should().Be(RecordedFileState.Finished, file.Error);
        file.Bytes.Should().Be(new FileInfo(file.Path).Length);
        file.DurationMicros.Should().BeCloseTo(ClipSeconds * 1_000_000L, 500_000);
        _node.Server.RecordingIds().Should().BeEmpty();
        var probe = await Ffmpeg.ProbeAsync(file.Path);
        probe.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_name").GetString()).Should().BeEquivalentTo(["vp8", "opus"]);
        Seconds(probe.GetProperty("format").GetProperty("duration")).Should().BeApproximately(ClipSeconds, 0.5);
        (await Ffmpeg.DecodeErrorsAsync(file.Path)).Should().BeEmpty();
    }

    [Fact]
    public async Task Packets_lost_on_the_uplink_are_nacked_then_a_keyframe_is_asked_for_and_no_broken_frame_is_written()
    {
        var captured = await CaptureAsync();
        var tracks = Tracks(captured, "bob");
        using var publisher = await _node.ConnectAsync("pub-bob", tracks, []);
        var nacked = new ConcurrentQueue<ushort>();
        int keyframeRequests = 0;
        publisher.OnRtcp = compound =>
        {
            var reader = new RtcpCompoundReader(compound);
            Span<ushort> lost = stackalloc ushort[64];
            while (reader.TryReadNext(out var packet))
            {
                if (packet.PacketType == RtcpPacketType.TransportFeedback && RtcpGenericNack.TryParse(packet.Bytes, out var nack, out _)
                    && nack.MediaSsrc == tracks[0].Ssrc)
                {
                    int count = nack.CopyLostSequenceNumbers(lost);
                    for (int i = 0; i < count; i++)
                        nacked.Enqueue(lost[i]);
                }
                else if (packet.PacketType == RtcpPacketType.PayloadSpecificFeedback && RtcpPictureLossIndication.TryParse(packet.Bytes, out var pli, out _)
                    && pli.MediaSsrc == tracks[0].Ssrc)
                    Interlocked.Increment(ref keyframeRequests);
            }
        };
        _node.Server.Record(new LiveRecordingRequest("rec-b", _directory, RecordingContainer.WebM,
            [new RecordedFileRequest("bob.webm", [.. tracks.Select(t => t.StreamId)])]));
        await Poll.UntilAsync(() => Volatile.Read(ref keyframeRequests) >= 1, what: "the keyframe asked for when the recording starts");
        int requestsBefore = Volatile.Read(ref keyframeRequests);

        // Every 10th video packet after the first third, and before the last 10, never arrives (this publisher does not
        // retransmit); a hole shows only once a later packet came. Relative to the count: a loaded encoder makes fewer packets.
        int videoPackets = captured.Count(p => p.Track == 0 && !p.IsRtcp);
        var dropped = new HashSet<ushort>();
        ushort firstVideo = 0;
        bool seen = false;
        await Task.Factory.StartNew(() => Replay(publisher, captured, (track, sequence) =>
        {
            if (track != 0)
                return false;
            if (!seen)
            {
                seen = true;
                firstVideo = sequence;
            }
            int index = (ushort)(sequence - firstVideo);
            if (index < videoPackets / 3 || index > videoPackets - 10 || index % 10 != 0)
                return false;
            lock (dropped)
                dropped.Add(sequence);
            return true;
        }), TaskCreationOptions.LongRunning);
        var status = _node.Server.StopRecording("rec-b")!;

        dropped.Should().NotBeEmpty();
        nacked.Should().Contain(dropped, "each hole is NACKed to the publisher");
        Volatile.Read(ref keyframeRequests).Should().BeGreaterThan(requestsBefore, "a hole that is not repaired costs a keyframe");
        var file = status.Files.Single();
        file.State.Should().Be(RecordedFileState.Finished, file.Error);
        file.PacketsLost.Should().BeGreaterThanOrEqualTo(dropped.Count);
        (await Ffmpeg.DecodeErrorsAsync(file.Path)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_full_disk_fails_the_file_with_a_clear_error_and_the_node_carries_on()
    {
        var captured = await CaptureAsync();
        var tracks = Tracks(captured, "carol");
        using var publisher = await _node.ConnectAsync("pub-carol", tracks, []);
        // The file is /dev/full: every write fails with ENOSPC, as on a disk that filled.
        string directory = Path.Combine(_directory, "rec-c");
        Directory.CreateDirectory(directory);
        File.CreateSymbolicLink(Path.Combine(directory, "carol.webm"), "/dev/full");
        _node.Server.Record(new LiveRecordingRequest("rec-c", directory, RecordingContainer.WebM,
            [new RecordedFileRequest("carol.webm", [.. tracks.Select(t => t.StreamId)])]));

        await Task.Factory.StartNew(() => Replay(publisher, captured), TaskCreationOptions.LongRunning);
        await Poll.UntilAsync(() => _node.Server.RecordingStatus("rec-c")!.Files.Single().State == RecordedFileState.Failed,
            what: "the first cluster's flush fails");
        var failed = _node.Server.RecordingStatus("rec-c")!.Files.Single();
        failed.Error.Should().StartWith("disk full");
        _node.Server.StopRecording("rec-c")!.Files.Single().State.Should().Be(RecordedFileState.Failed);
        _node.Server.TryGetProducer(tracks[0].StreamId, out var producer).Should().BeTrue();
        producer!.RecordingTaps.Should().BeEmpty("a failed file takes its taps off");
        _node.Server.SessionCount.Should().Be(1, "the node and the publisher's session go on");
    }

    [Fact]
    public async Task A_participant_who_leaves_and_comes_back_continues_in_the_same_file_after_a_gap()
    {
        var captured = await CaptureAsync();
        var first = Tracks(captured, "dave-1");
        var again = Tracks(captured, "dave-2", ssrcMask: 0x0101_0101);
        using (var publisher = await _node.ConnectAsync("pub-dave-1", first, []))
        {
            _node.Server.Record(new LiveRecordingRequest("rec-d", _directory, RecordingContainer.WebM,
                [new RecordedFileRequest("dave.webm", [.. first.Select(t => t.StreamId)])]));
            await Task.Factory.StartNew(() => Replay(publisher, captured), TaskCreationOptions.LongRunning);
            _node.Server.Close("pub-dave-1").Should().BeTrue();
        }
        var left = DateTime.UtcNow;
        using var returned = await _node.ConnectAsync("pub-dave-2", again, []);
        _node.Server.Record(new LiveRecordingRequest("rec-d", _directory, RecordingContainer.WebM,
            [new RecordedFileRequest("dave.webm", [.. again.Select(t => t.StreamId)])]));
        await Task.Delay(TimeSpan.FromSeconds(1) - (DateTime.UtcNow - left) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        await Task.Factory.StartNew(() => Replay(returned, captured, ssrcMask: 0x0101_0101), TaskCreationOptions.LongRunning);
        var gapAndSecond = DateTime.UtcNow - left;
        var status = _node.Server.StopRecording("rec-d")!;

        var file = status.Files.Should().ContainSingle("the participant's return goes on in the same file").Subject;
        file.State.Should().Be(RecordedFileState.Finished, file.Error);
        double expected = ClipSeconds + gapAndSecond.TotalSeconds;
        var probe = await Ffmpeg.ProbeAsync(file.Path);
        Seconds(probe.GetProperty("format").GetProperty("duration")).Should().BeApproximately(expected, 0.6,
            "the file holds the first visit, the gap and the second visit on one timeline");
        (await Ffmpeg.DecodeErrorsAsync(file.Path)).Should().BeEmpty();
    }
}
