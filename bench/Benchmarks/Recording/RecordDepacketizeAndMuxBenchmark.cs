using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaPlane.Recording;
using MediaPlane.Recording.Mp4;
using MediaPlane.Recording.Pipeline;
using MediaPlane.Recording.WebM;

namespace Benchmarks.Recording;

/// <summary>
/// Recording cost per RTP packet, all in memory: reorder buffer, depacketizer, sender-report clock and
/// container writer (to Stream.Null). One invocation is one 30 fps video frame of 4 packets (1,100-byte
/// payloads; a keyframe every 60 frames) plus one 20 ms Opus packet, so the figures are per packet.
/// </summary>
[MemoryDiagnoser]
public class RecordDepacketizeAndMuxBenchmark
{
    private const int PacketsPerFrame = 4;
    private const int PacketsPerInvoke = PacketsPerFrame + 1;

    [Params("webm-vp8", "mp4-h264")]
    public string Format { get; set; } = "webm-vp8";

    private ParticipantRecording _recording = null!;
    private readonly byte[][] _videoPackets = new byte[PacketsPerFrame][];
    private readonly byte[] _audioPacket = new byte[12 + 120];
    private ushort _videoSequence, _audioSequence;
    private uint _videoTimestamp, _audioTimestamp;
    private long _frame, _now;

    [GlobalSetup]
    public void Setup()
    {
        bool webm = Format == "webm-vp8";
        _recording = new ParticipantRecording([webm ? MediaCodec.Vp8 : MediaCodec.H264, MediaCodec.Opus],
            tracks => webm ? new WebMWriter(Stream.Null, tracks) : new FragmentedMp4Writer(Stream.Null, tracks));
        for (int i = 0; i < PacketsPerFrame; i++)
            _videoPackets[i] = new byte[12 + 2 + 1100];
        WriteHeader(_audioPacket, 111, 0x2222);
        _audioPacket[12] = 0xFC; // Opus TOC: 20 ms CELT fullband stereo
        _now = 1_000_000_000_000;
        for (int i = 0; i < 120; i++)
            Frame(); // open the file and reach the buffers' working sizes
        if (_recording.FramesWritten < 200 || _recording.DroppedFrames(0) != 0)
            throw new InvalidOperationException($"{Format}: {_recording.FramesWritten} frames written, {_recording.DroppedFrames(0)} dropped");
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public void Frame()
    {
        bool keyframe = _frame++ % 60 == 0;
        _now += 33_333;
        _videoTimestamp += 3000;
        for (int i = 0; i < PacketsPerFrame; i++)
        {
            var packet = _videoPackets[i];
            WriteHeader(packet, 96, 0x1111);
            packet[1] = (byte)(96 | (i == PacketsPerFrame - 1 ? 0x80 : 0));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _videoSequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), _videoTimestamp);
            FillVideoPayload(packet.AsSpan(12), i, keyframe);
            _recording.OnRtpPacket(0, packet, _now);
        }
        _audioTimestamp += 960;
        BinaryPrimitives.WriteUInt16BigEndian(_audioPacket.AsSpan(2), _audioSequence++);
        BinaryPrimitives.WriteUInt32BigEndian(_audioPacket.AsSpan(4), _audioTimestamp);
        _recording.OnRtpPacket(1, _audioPacket, _now);
    }

    private void FillVideoPayload(Span<byte> payload, int index, bool keyframe)
    {
        if (Format == "webm-vp8")
        {
            payload[0] = (byte)(index == 0 ? 0x10 : 0x00); // RFC 7741: S on the first packet, PID 0
            payload[1] = (byte)(keyframe ? 0x00 : 0x01);   // VP8 payload header P bit
            return;
        }
        // RFC 6184 FU-A of one IDR (type 5) or non-IDR (type 1) slice; SPS/PPS as a STAP-A before keyframes.
        byte type = keyframe ? (byte)5 : (byte)1;
        payload[0] = 0x7C;
        payload[1] = (byte)((index == 0 ? 0x80 : 0) | (index == PacketsPerFrame - 1 ? 0x40 : 0) | type);
        if (keyframe && index == 0)
        {
            ReadOnlySpan<byte> stapA = [0x18, 0, 5, 0x67, 0x42, 0xC0, 0x1E, 0xAA, 0, 4, 0x68, 0xCE, 0x3C, 0x80];
            Span<byte> packet = stackalloc byte[12 + stapA.Length];
            WriteHeader(packet, 96, 0x1111);
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)(_videoSequence - 1)); // the slot the FU-A had
            BinaryPrimitives.WriteUInt32BigEndian(packet[4..], _videoTimestamp);
            stapA.CopyTo(packet[12..]);
            _recording.OnRtpPacket(0, packet, _now);
            BinaryPrimitives.WriteUInt16BigEndian(_videoPackets[0].AsSpan(2), _videoSequence++);
        }
    }

    private static void WriteHeader(Span<byte> packet, byte payloadType, uint ssrc)
    {
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
    }

    [GlobalCleanup]
    public void Cleanup() => _recording.Dispose();
}
