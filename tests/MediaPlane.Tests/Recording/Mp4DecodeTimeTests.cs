using System.Buffers.Binary;
using MediaPlane.Recording;
using MediaPlane.Recording.Mp4;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// A fragmented MP4's decode times are tfdt + the durations before a sample (ISO/IEC 14496-12 §8.8.8, §8.8.12).
/// When audio closes a fragment, the last video sample's duration is a guess (the previous one's); the next
/// fragment's tfdt is the next frame's own time, so decode times stay strictly increasing even when that frame
/// comes sooner than the guess. Read back from the boxes, so a regression shows without a decoder.
/// </summary>
public sealed class Mp4DecodeTimeTests
{
    private static readonly byte[] AvcConfiguration = [1, 0x42, 0xC0, 0x1E, 0xFF, 0xE0, 0x00];

    [Fact]
    public void Decode_times_stay_strictly_increasing_when_audio_closes_a_fragment_and_video_runs_behind()
    {
        using var output = new MemoryStream();
        var writer = new FragmentedMp4Writer(output,
            [new RecordingTrack(MediaCodec.H264, 320, 240, AvcConfiguration), new RecordingTrack(MediaCodec.Opus)]);
        byte[] frame = [0, 0, 0, 1, 0x65];
        // Video every 40 ms up to 1.96 s (one keyframe, no more), audio every 20 ms; audio at 2.0 s closes the
        // fragment (2 s limit) while the video's next frame, 30 ms after its last one, is still on its way.
        for (long t = 0; t <= 2_000_000; t += 20_000)
        {
            if (t % 40_000 == 0 && t <= 1_960_000)
                writer.WriteFrame(0, t, frame, keyframe: t == 0);
            writer.WriteFrame(1, t, frame, keyframe: false);
        }
        for (long t = 1_990_000; t <= 3_000_000; t += 33_000)
            writer.WriteFrame(0, t, frame, keyframe: false);
        for (long t = 2_020_000; t <= 3_000_000; t += 20_000)
            writer.WriteFrame(1, t, frame, keyframe: false);
        writer.Close();

        var times = DecodeTimes(output.ToArray());
        times.Keys.Should().BeEquivalentTo([1u, 2u]);
        foreach (var (track, list) in times)
        {
            list.Should().HaveCountGreaterThan(40);
            for (int i = 1; i < list.Count; i++)
                list[i].Should().BeGreaterThan(list[i - 1], $"track {track} sample {i}");
        }
        // The video frame that came sooner than the guess keeps its own time (90 kHz).
        times[1].Should().Contain(1_990_000L * 90 / 1000);
    }

    /// <summary>Per track ID the decode time of every sample, read back from the moof boxes.</summary>
    private static Dictionary<uint, List<long>> DecodeTimes(byte[] file)
    {
        var times = new Dictionary<uint, List<long>>();
        foreach (var (type, body) in Boxes(file))
        {
            if (type != "moof")
                continue;
            foreach (var (trafType, traf) in Boxes(body))
            {
                if (trafType != "traf")
                    continue;
                uint trackId = 0;
                long time = 0;
                foreach (var (childType, child) in Boxes(traf))
                {
                    var c = child.AsSpan();
                    switch (childType)
                    {
                        case "tfhd":
                            trackId = BinaryPrimitives.ReadUInt32BigEndian(c[4..]);
                            break;
                        case "tfdt":
                            time = c[0] == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(c[4..]) : BinaryPrimitives.ReadUInt32BigEndian(c[4..]);
                            break;
                        case "trun":
                            uint flags = BinaryPrimitives.ReadUInt32BigEndian(c) & 0xFFFFFF;
                            flags.Should().Be(0x701, "the writer's trun layout");
                            int count = (int)BinaryPrimitives.ReadUInt32BigEndian(c[4..]);
                            var list = times.TryGetValue(trackId, out var l) ? l : times[trackId] = [];
                            for (int i = 0; i < count; i++)
                            {
                                list.Add(time);
                                time += BinaryPrimitives.ReadUInt32BigEndian(c[(12 + i * 12)..]);
                            }
                            break;
                    }
                }
            }
        }
        return times;
    }

    private static IEnumerable<(string Type, byte[] Body)> Boxes(byte[] data)
    {
        int offset = 0;
        while (offset + 8 <= data.Length)
        {
            int size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(data, offset + 4, 4);
            yield return (type, data[(offset + 8)..(offset + size)]);
            offset += size;
        }
    }
}
