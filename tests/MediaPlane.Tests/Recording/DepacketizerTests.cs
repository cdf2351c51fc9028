using System.Buffers.Binary;
using MediaPlane.Recording.Depacketizers;

namespace MediaPlane.Tests.Recording;

/// <summary>Hand-built payloads per RFC: aggregation, fragmentation, descriptors, loss and the keyframe wait.</summary>
public sealed class DepacketizerTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1E, 0xAA];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    private static byte[] StapA(params byte[][] nals)
    {
        var result = new List<byte> { 0x18 }; // F=0, NRI=0, type 24
        foreach (var nal in nals)
        {
            result.Add((byte)(nal.Length >> 8));
            result.Add((byte)nal.Length);
            result.AddRange(nal);
        }
        return [.. result];
    }

    private static byte[] FuA(byte nalHeader, bool start, bool end, params byte[] data) =>
        [(byte)((nalHeader & 0xE0) | 28), (byte)((start ? 0x80 : 0) | (end ? 0x40 : 0) | (nalHeader & 0x1F)), .. data];

    private static byte[] Avcc(params byte[][] nals)
    {
        var result = new List<byte>();
        foreach (var nal in nals)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)nal.Length);
            result.AddRange(length);
            result.AddRange(nal);
        }
        return [.. result];
    }

    [Fact]
    public void H264_STAP_A_and_FU_A_rebuild_an_AVCC_keyframe_with_the_parameter_sets_kept_aside()
    {
        using var h264 = new H264Depacketizer();
        h264.Push(StapA(Sps, Pps), 1, 3000, false).Should().Be(DepacketizeResult.Buffered);
        h264.Push(FuA(0x65, true, false, 1, 2, 3), 2, 3000, false).Should().Be(DepacketizeResult.Buffered);
        h264.Push(FuA(0x65, false, false, 4, 5), 3, 3000, false).Should().Be(DepacketizeResult.Buffered);
        h264.Push(FuA(0x65, false, true, 6), 4, 3000, true).Should().Be(DepacketizeResult.FrameReady);

        h264.FrameIsKeyframe.Should().BeTrue();
        h264.Frame.ToArray().Should().Equal(Avcc([0x65, 1, 2, 3, 4, 5, 6]));
        h264.Sps.ToArray().Should().Equal(Sps);
        h264.Pps.ToArray().Should().Equal(Pps);
        AvcConfiguration.Build(h264.Sps, h264.Pps).Should().Equal(
            [1, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0, 5, .. Sps, 1, 0, 4, .. Pps]);
    }

    [Fact]
    public void H264_a_lost_fragment_drops_its_frame_and_later_frames_until_the_next_IDR()
    {
        using var h264 = new H264Depacketizer();
        h264.Push(StapA(Sps, Pps, [0x65, 9]), 1, 3000, true).Should().Be(DepacketizeResult.FrameReady);
        h264.NeedsKeyframe.Should().BeFalse();

        h264.Push(FuA(0x41, true, false, 1), 2, 6000, false).Should().Be(DepacketizeResult.Buffered);
        // sequence 3 lost
        h264.Push(FuA(0x41, false, true, 3), 4, 6000, true).Should().Be(DepacketizeResult.Dropped);
        h264.NeedsKeyframe.Should().BeTrue("a frame was lost: ask for a keyframe (PLI)");

        h264.Push([0x41, 7, 7], 5, 9000, true).Should().Be(DepacketizeResult.Dropped, "it may reference the lost frame");
        h264.Push([0x65, 8, 8], 6, 12000, true).Should().Be(DepacketizeResult.FrameReady);
        h264.FrameIsKeyframe.Should().BeTrue();
        h264.NeedsKeyframe.Should().BeFalse();
        h264.DroppedFrames.Should().Be(2);
    }

    [Theory]
    [InlineData(new byte[] { 0x1C })]                        // FU-A without FU header
    [InlineData(new byte[] { 0x19, 1, 2 })]                  // STAP-B: interleaved mode only
    [InlineData(new byte[] { 0x18, 0, 9, 0x65 })]            // STAP-A size past the end
    public void H264_malformed_payloads_are_refused_with_a_reason(byte[] payload)
    {
        using var h264 = new H264Depacketizer();
        h264.Push(StapA(Sps, Pps, [0x65, 9]), 1, 3000, true);
        h264.Push(payload, 2, 6000, true).Should().Be(DepacketizeResult.Invalid);
        h264.LastError.Should().NotBe(DepacketizeError.None);
    }

    [Fact]
    public void H264_a_fragment_whose_start_never_came_is_dropped_and_asks_for_a_keyframe()
    {
        using var h264 = new H264Depacketizer();
        h264.Push(StapA(Sps, Pps, [0x65, 9]), 1, 3000, true).Should().Be(DepacketizeResult.FrameReady);
        h264.Push(FuA(0x41, false, true, 1), 2, 6000, true).Should().Be(DepacketizeResult.Dropped);
        h264.NeedsKeyframe.Should().BeTrue();
    }

    [Fact]
    public void Vp8_descriptor_with_picture_id_tl0_and_tid_is_skipped_and_the_P_bit_marks_keyframes()
    {
        using var vp8 = new Vp8Depacketizer();
        // X=1 S=1 PID=0 | I L T K | M=1 15-bit picture id | TL0PICIDX | TID/Y/KEYIDX | VP8 payload header P=0
        byte[] first = [0x90, 0xF0, 0x80, 0x01, 0x05, 0x20, 0x10, 0x02, 0x00];
        byte[] second = [0x80, 0xF0, 0x80, 0x01, 0x05, 0x20, 0xAA];
        vp8.Push(first, 10, 3000, false).Should().Be(DepacketizeResult.Buffered);
        vp8.Push(second, 11, 3000, true).Should().Be(DepacketizeResult.FrameReady);
        vp8.FrameIsKeyframe.Should().BeTrue();
        vp8.Frame.ToArray().Should().Equal(0x10, 0x02, 0x00, 0xAA);

        vp8.Push([0x10, 0x01, 0x33], 12, 6000, true).Should().Be(DepacketizeResult.FrameReady); // P=1: inter frame
        vp8.FrameIsKeyframe.Should().BeFalse();
    }

    [Fact]
    public void Vp8_joining_mid_frame_waits_for_a_frame_start_and_a_keyframe()
    {
        using var vp8 = new Vp8Depacketizer();
        vp8.Push([0x00, 0xAA], 5, 3000, true).Should().Be(DepacketizeResult.Dropped);   // S=0: middle of a frame
        vp8.Push([0x10, 0x01, 0xBB], 6, 6000, true).Should().Be(DepacketizeResult.Dropped); // inter frame before any keyframe
        vp8.Push([0x10, 0x00, 0xCC], 7, 9000, true).Should().Be(DepacketizeResult.FrameReady);
    }

    [Fact]
    public void Vp9_flexible_mode_reference_indices_and_a_scalability_structure_are_skipped()
    {
        // I=1 P=1 L=1 F=1 B=1 E=1 V=1 | M=0 pid | TID/U/SID=0/D | P_DIFF with N=1, P_DIFF N=0 | SS: N_S=0 Y=1 G=0, 320x240
        byte[] descriptor = [0xFE, 0x05, 0x00, 0x03, 0x02, 0x10, 0x01, 0x40, 0x00, 0xF0];
        Vp9Depacketizer.TryReadDescriptor([.. descriptor, 0x88], out int length, out bool begin, out bool predicted, out int spatial)
            .Should().BeTrue();
        length.Should().Be(descriptor.Length);
        (begin, predicted, spatial).Should().Be((true, true, 0));

        // Non-flexible: I=1 L=1 B=1 E=1, picture id, layer byte, TL0PICIDX.
        Vp9Depacketizer.TryReadDescriptor([0xAC, 0x05, 0x00, 0x07, 0x88], out length, out begin, out predicted, out _).Should().BeTrue();
        length.Should().Be(4);
        Vp9Depacketizer.TryReadDescriptor([0xFE, 0x05, 0x00, 0x03], out _, out _, out _, out _).Should().BeFalse("P_DIFF runs past the end");
    }

    [Fact]
    public void Vp9_keyframe_needs_both_P_clear_and_a_keyframe_uncompressed_header()
    {
        using var vp9 = new Vp9Depacketizer();
        // Uncompressed header: frame_marker 2, profile 0, show_existing 0, frame_type 0 -> 0b10_0_0_0_0_..
        vp9.Push([0x0C, 0x80, 0x49, 0x83, 0x42], 1, 3000, true).Should().Be(DepacketizeResult.FrameReady);
        vp9.FrameIsKeyframe.Should().BeTrue();
        vp9.Push([0x0C, 0x84, 0x00], 2, 6000, true).Should().Be(DepacketizeResult.FrameReady); // frame_type 1
        vp9.FrameIsKeyframe.Should().BeFalse("P is clear but the header says inter frame");
    }

    [Fact]
    public void Av1_aggregated_and_fragmented_OBUs_become_sized_OBUs_without_temporal_delimiters()
    {
        using var av1 = new Av1Depacketizer();
        byte[] sequenceHeader = [0x08, 0x00, 0x00, 0x00]; // OBU_SEQUENCE_HEADER (type 1), no size field, 3 bytes
        byte[] temporalDelimiter = [0x10];                 // OBU_TEMPORAL_DELIMITER
        // Z=0 Y=1 W=3 N=1: TD (length 1), sequence header (length 4), first piece of a frame OBU (type 6)
        byte[] first = [0x78, 0x01, .. temporalDelimiter, 0x04, .. sequenceHeader, 0x30, 0xA1, 0xA2];
        byte[] second = [0x90, 0xA3, 0xA4]; // Z=1 W=1: last piece of the frame OBU
        av1.Push(first, 1, 3000, false).Should().Be(DepacketizeResult.Buffered);
        av1.Push(second, 2, 3000, true).Should().Be(DepacketizeResult.FrameReady);

        av1.FrameIsKeyframe.Should().BeTrue();
        av1.Frame.ToArray().Should().Equal(
            0x0A, 0x83, 0x80, 0x80, 0x00, 0x00, 0x00, 0x00,        // sequence header, size 3 as 4-byte LEB128
            0x32, 0x84, 0x80, 0x80, 0x00, 0xA1, 0xA2, 0xA3, 0xA4);  // frame OBU, size 4
        av1.BuildConfiguration()[0].Should().Be(0x81);
    }

    [Fact]
    public void Opus_every_packet_is_a_frame_and_a_gap_needs_no_keyframe()
    {
        using var opus = new OpusDepacketizer();
        opus.Push([0xFC, 1, 2], 1, 960, false).Should().Be(DepacketizeResult.FrameReady);
        opus.Push([0xFC, 3], 3, 2880, false).Should().Be(DepacketizeResult.FrameReady);
        opus.NeedsKeyframe.Should().BeFalse();
        opus.Push([], 4, 3840, false).Should().Be(DepacketizeResult.Invalid);
    }
}
