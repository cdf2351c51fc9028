using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Mp4;

/// <summary>Sample entries (ISO/IEC 14496-12 §12.1.3 visual, §12.2.3 audio) for H.264, AV1 and Opus.</summary>
internal static class SampleEntries
{
    public static void Write(GrowableBuffer b, RecordingTrack track)
    {
        switch (track.Codec)
        {
            case MediaCodec.H264:
                // ISO/IEC 14496-15 §5.4.2: avc1 with the AVCDecoderConfigurationRecord in avcC.
                WriteVisual(b, "avc1"u8, "avcC"u8, track);
                break;
            case MediaCodec.Av1:
                // AV1-ISOBMFF §2.2: av01 with the AV1CodecConfigurationRecord in av1C.
                WriteVisual(b, "av01"u8, "av1C"u8, track);
                break;
            case MediaCodec.Opus:
                WriteOpus(b, track);
                break;
            default:
                throw new NotSupportedException($"fragmented MP4 here carries H.264, AV1 and Opus, not {track.Codec}");
        }
    }

    private static void WriteVisual(GrowableBuffer b, ReadOnlySpan<byte> type, ReadOnlySpan<byte> configurationType, RecordingTrack track)
    {
        int entry = BoxWriter.Start(b, type);
        BoxWriter.Zeros(b, 6);
        b.WriteUInt16BigEndian(1); // data_reference_index
        BoxWriter.Zeros(b, 16); // pre_defined, reserved
        b.WriteUInt16BigEndian((ushort)track.Width);
        b.WriteUInt16BigEndian((ushort)track.Height);
        b.WriteUInt32BigEndian(0x00480000); // 72 dpi
        b.WriteUInt32BigEndian(0x00480000);
        b.WriteUInt32BigEndian(0);
        b.WriteUInt16BigEndian(1); // frame_count
        BoxWriter.Zeros(b, 32); // compressorname
        b.WriteUInt16BigEndian(0x0018); // depth
        b.WriteUInt16BigEndian(0xFFFF); // pre_defined = -1
        int configuration = BoxWriter.Start(b, configurationType);
        b.Write(track.CodecConfiguration ?? []);
        BoxWriter.End(b, configuration);
        BoxWriter.End(b, entry);
    }

    /// <summary>Opus in ISO BMFF §4.3.1: "Opus" AudioSampleEntry (48 kHz, 16-bit) with a dOps box (§4.3.2).</summary>
    private static void WriteOpus(GrowableBuffer b, RecordingTrack track)
    {
        int entry = BoxWriter.Start(b, "Opus"u8);
        BoxWriter.Zeros(b, 6);
        b.WriteUInt16BigEndian(1);
        BoxWriter.Zeros(b, 8);
        b.WriteUInt16BigEndian((ushort)track.Channels);
        b.WriteUInt16BigEndian(16);
        b.WriteUInt32BigEndian(0);
        b.WriteUInt32BigEndian((uint)track.SampleRate << 16);
        int dops = BoxWriter.Start(b, "dOps"u8);
        OpusHeaders.WriteDops(b.GetSpan(OpusHeaders.DopsLength), track.Channels, track.SampleRate);
        b.Advance(OpusHeaders.DopsLength);
        BoxWriter.End(b, dops);
        BoxWriter.End(b, entry);
    }
}
