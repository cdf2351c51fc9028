using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// The picture size of an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1 syntax, §7.4.2.1.1 semantics), for
/// the MP4 sample entry and track header. Reads a copy with the emulation-prevention bytes removed (§7.4.1);
/// returns false for a set it cannot read, never throws.
/// </summary>
public static class H264SpsReader
{
    public const int MaxSpsBytes = 256;

    /// <param name="sps">The SPS NAL unit, its one-byte NAL header included.</param>
    public static bool TryReadSize(ReadOnlySpan<byte> sps, out int width, out int height)
    {
        width = height = 0;
        if (sps.Length < 4 || sps.Length > MaxSpsBytes || (sps[0] & 0x1F) != 7)
            return false;
        Span<byte> rbsp = stackalloc byte[MaxSpsBytes];
        int length = 0, zeros = 0;
        foreach (byte b in sps[1..])
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0; // emulation_prevention_three_byte
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            rbsp[length++] = b;
        }
        var r = new BitReader(rbsp[..length]);
        uint profile = r.Read(8);
        r.Read(16); // constraint flags, level_idc
        r.ReadUnsignedExpGolomb(); // seq_parameter_set_id
        uint chromaFormat = 1;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chromaFormat = r.ReadUnsignedExpGolomb();
            if (chromaFormat > 3)
                return false;
            if (chromaFormat == 3)
                r.Read(1); // separate_colour_plane_flag
            r.ReadUnsignedExpGolomb(); // bit_depth_luma_minus8
            r.ReadUnsignedExpGolomb(); // bit_depth_chroma_minus8
            r.Read(1); // qpprime_y_zero_transform_bypass_flag
            if (r.ReadFlag()) // seq_scaling_matrix_present_flag
            {
                for (int i = 0; i < (chromaFormat != 3 ? 8 : 12) && !r.Overrun; i++)
                {
                    if (r.ReadFlag())
                        SkipScalingList(ref r, i < 6 ? 16 : 64);
                }
            }
        }
        r.ReadUnsignedExpGolomb(); // log2_max_frame_num_minus4
        uint pocType = r.ReadUnsignedExpGolomb();
        if (pocType == 0)
            r.ReadUnsignedExpGolomb(); // log2_max_pic_order_cnt_lsb_minus4
        else if (pocType == 1)
        {
            r.Read(1); // delta_pic_order_always_zero_flag
            r.ReadSignedExpGolomb(); // offset_for_non_ref_pic
            r.ReadSignedExpGolomb(); // offset_for_top_to_bottom_field
            uint cycle = r.ReadUnsignedExpGolomb();
            if (cycle > 255)
                return false;
            for (uint i = 0; i < cycle && !r.Overrun; i++)
                r.ReadSignedExpGolomb();
        }
        else if (pocType != 2)
            return false;
        r.ReadUnsignedExpGolomb(); // max_num_ref_frames
        r.Read(1); // gaps_in_frame_num_value_allowed_flag
        uint widthInMbs = r.ReadUnsignedExpGolomb() + 1;
        uint heightInMapUnits = r.ReadUnsignedExpGolomb() + 1;
        uint frameMbsOnly = r.Read(1);
        if (frameMbsOnly == 0)
            r.Read(1); // mb_adaptive_frame_field_flag
        r.Read(1); // direct_8x8_inference_flag
        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.ReadFlag()) // frame_cropping_flag
        {
            cropLeft = r.ReadUnsignedExpGolomb();
            cropRight = r.ReadUnsignedExpGolomb();
            cropTop = r.ReadUnsignedExpGolomb();
            cropBottom = r.ReadUnsignedExpGolomb();
        }
        if (r.Overrun || widthInMbs > 1024 || heightInMapUnits > 1024)
            return false;
        // §7.4.2.1.1 (7-19 to 7-22): crop units from the chroma subsampling (SubWidthC, SubHeightC, Table 6-1).
        long cropUnitX = chromaFormat is 1 or 2 ? 2 : 1;
        long cropUnitY = (chromaFormat == 1 ? 2 : 1) * (2 - frameMbsOnly);
        long w = widthInMbs * 16L - cropUnitX * (cropLeft + (long)cropRight);
        long h = (2 - frameMbsOnly) * heightInMapUnits * 16L - cropUnitY * (cropTop + (long)cropBottom);
        if (w <= 0 || h <= 0)
            return false;
        width = (int)w;
        height = (int)h;
        return true;
    }

    /// <summary>scaling_list(), §7.3.2.1.1.1: only the deltas are read.</summary>
    private static void SkipScalingList(ref BitReader r, int size)
    {
        int last = 8, next = 8;
        for (int j = 0; j < size && !r.Overrun; j++)
        {
            if (next != 0)
                next = (last + r.ReadSignedExpGolomb() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }
}
