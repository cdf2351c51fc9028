namespace MediaPlane.Stun;

/// <summary>
/// CRC-32 as in ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320), the checksum that the
/// FINGERPRINT attribute uses (RFC 8489 §14.7). Table-driven, one byte at a time.
/// </summary>
public static class StunCrc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    internal const uint Start = 0xFFFFFFFF;

    internal static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        foreach (byte b in data)
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    internal static uint Finish(uint crc) => ~crc;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
