namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// AVCDecoderConfigurationRecord, ISO/IEC 14496-15 §5.3.3.1: version 1, profile/compatibility/level copied
/// from the SPS (its bytes 1-3), lengthSizeMinusOne = 3 (4-byte NAL lengths), then one SPS and one PPS, each
/// with a 16-bit length.
/// </summary>
public static class AvcConfiguration
{
    public static byte[] Build(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        if (sps.Length < 4 || pps.IsEmpty)
            return [];
        var record = new byte[6 + 2 + sps.Length + 1 + 2 + pps.Length];
        record[0] = 1;
        record[1] = sps[1]; // profile_idc
        record[2] = sps[2]; // constraint flags
        record[3] = sps[3]; // level_idc
        record[4] = 0xFC | 3; // reserved 6 bits, lengthSizeMinusOne
        record[5] = 0xE0 | 1; // reserved 3 bits, numOfSequenceParameterSets
        record[6] = (byte)(sps.Length >> 8);
        record[7] = (byte)sps.Length;
        sps.CopyTo(record.AsSpan(8));
        int at = 8 + sps.Length;
        record[at] = 1; // numOfPictureParameterSets
        record[at + 1] = (byte)(pps.Length >> 8);
        record[at + 2] = (byte)pps.Length;
        pps.CopyTo(record.AsSpan(at + 3));
        return record;
    }
}
