using System.Buffers.Binary;
using System.Globalization;
using MediaPlane.Recording;
using MediaPlane.Recording.Depacketizers;
using MediaPlane.Recording.Mp4;
using MediaPlane.Recording.WebM;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// AV1: Debian's ffmpeg 5.1 cannot send AV1 over RTP, so libaom (through ffmpeg) writes a low-overhead OBU
/// stream, a small packetizer here (AV1 RTP spec §4.4, W=0, fragments with Y/Z, N on keyframes) turns it into
/// RTP, and our depacketizer and writers rebuild it; ffprobe/ffmpeg judge the WebM and MP4 files.
/// </summary>
public sealed class Av1RecordingTests : IDisposable
{
    private const int MaxPayload = 1000;
    private readonly string _directory = Directory.CreateTempSubdirectory("rec-av1-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("webm")]
    [InlineData("mp4")]
    public async Task AV1_rebuilt_from_RTP_makes_a_file_that_decodes_cleanly(string container)
    {
        var obuFile = Path.Combine(_directory, "clip.obu");
        await Ffmpeg.RunAsync("ffmpeg", "-hide_banner -v error -y -f lavfi -i testsrc=size=320x240:rate=15:duration=3 " +
            $"-c:v libaom-av1 -usage realtime -cpu-used 8 -g 15 -b:v 200k -f obu \"{obuFile}\"", TimeSpan.FromSeconds(120));
        var temporalUnits = SplitTemporalUnits(await File.ReadAllBytesAsync(obuFile));
        temporalUnits.Should().HaveCount(45);

        var file = Path.Combine(_directory, "av1." + container);
        var packets = new List<CapturedPacket>();
        ushort sequence = 40000;
        long arrival = 1_700_000_000_000_000;
        for (int i = 0; i < temporalUnits.Count; i++)
        {
            foreach (var packet in Packetize(temporalUnits[i], ref sequence, (uint)(i * 6000)))
                packets.Add(new CapturedPacket(0, false, arrival, packet));
            arrival += 66_667;
        }
        using (var recording = RecordingReplay.Record(file, [MediaCodec.Av1], packets,
                   writer: container == "webm" ? (s, t) => new WebMWriter(s, t) : (s, t) => new FragmentedMp4Writer(s, t)))
        {
            recording.DroppedFrames(0).Should().Be(0);
            recording.FramesWritten.Should().Be(45);
        }

        var probe = await Ffmpeg.ProbeAsync(file);
        var video = probe.GetProperty("streams")[0];
        video.GetProperty("codec_name").GetString().Should().Be("av1");
        double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture).Should().BeApproximately(3, 0.5);
        (await Ffmpeg.DecodeErrorsAsync(file)).Should().BeEmpty();
        (await Ffmpeg.DecodeErrorsAsync(file, "-ss 2")).Should().BeEmpty();
    }

    /// <summary>Low-overhead OBUs (every one sized) grouped at temporal delimiters, which are left out.</summary>
    private static List<List<byte[]>> SplitTemporalUnits(byte[] stream)
    {
        var units = new List<List<byte[]>>();
        var data = stream.AsSpan();
        while (!data.IsEmpty)
        {
            int headerLength = (data[0] & 0x04) != 0 ? 2 : 1;
            Av1Depacketizer.TryReadLeb128(data[headerLength..], out ulong size, out int sizeLength).Should().BeTrue();
            int type = (data[0] >> 3) & 0x0F;
            // The RTP form: obu_has_size_field cleared, no size.
            byte[] obu = [(byte)(data[0] & ~0x02), .. data[1..headerLength], .. data.Slice(headerLength + sizeLength, (int)size)];
            if (type == 2)
                units.Add([]);
            else
                units[^1].Add(obu);
            data = data[(headerLength + sizeLength + (int)size)..];
        }
        return units;
    }

    /// <summary>AV1 RTP §4.4 with W=0: every element has a LEB128 length; an element that does not fit is split (Y, then Z).</summary>
    private static List<byte[]> Packetize(List<byte[]> obus, ref ushort sequence, uint timestamp)
    {
        bool keyframe = obus.Any(o => ((o[0] >> 3) & 0x0F) == 1);
        var payloads = new List<List<byte>>();
        var current = new List<byte> { 0 };
        bool continuing = false;
        foreach (var obu in obus)
        {
            var rest = obu.AsSpan();
            while (!rest.IsEmpty)
            {
                int room = MaxPayload - current.Count - 2;
                if (room < 16)
                {
                    payloads.Add(current);
                    current = [(byte)(continuing ? 0x80 : 0)];
                    continue;
                }
                int take = Math.Min(room, rest.Length);
                current.AddRange(Leb128(take));
                current.AddRange(rest[..take].ToArray());
                rest = rest[take..];
                continuing = !rest.IsEmpty;
                if (continuing)
                {
                    current[0] |= 0x40; // Y: the last element continues in the next packet
                    payloads.Add(current);
                    current = [0x80];   // Z
                }
            }
        }
        payloads.Add(current);
        if (keyframe)
            payloads[0][0] |= 0x08; // N
        var packets = new List<byte[]>();
        for (int i = 0; i < payloads.Count; i++)
        {
            var packet = new byte[12 + payloads[i].Count];
            packet[0] = 0x80;
            packet[1] = (byte)(45 | (i == payloads.Count - 1 ? 0x80 : 0));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0xA1A1A1A1);
            payloads[i].CopyTo(packet, 12);
            packets.Add(packet);
        }
        return packets;
    }

    private static byte[] Leb128(int value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }
}
