namespace MediaPlane.Recording.Buffers;

/// <summary>Reads big-endian bit fields (the f(n) of the VP9 and AV1 specifications); reports running out instead of throwing.</summary>
public ref struct BitReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _bit;

    /// <summary>True once a read went past the end (every later read returns 0).</summary>
    public bool Overrun { get; private set; }

    public uint Read(int bits)
    {
        uint value = 0;
        for (int i = 0; i < bits; i++)
        {
            int index = _bit >> 3;
            if (index >= _data.Length)
            {
                Overrun = true;
                return 0;
            }
            value = (value << 1) | (uint)((_data[index] >> (7 - (_bit & 7))) & 1);
            _bit++;
        }
        return value;
    }

    public bool ReadFlag() => Read(1) != 0;

    /// <summary>ue(v), H.264 §9.1: leading zero bits, a one, then as many bits. Overruns past 31 leading zeros.</summary>
    public uint ReadUnsignedExpGolomb()
    {
        int zeros = 0;
        while (!ReadFlag())
        {
            if (Overrun || ++zeros > 31)
            {
                Overrun = true;
                return 0;
            }
        }
        return (uint)((1UL << zeros) - 1 + Read(zeros));
    }

    /// <summary>se(v), H.264 §9.1.1: ue(v) k mapped to (-1)^(k+1) * Ceil(k / 2).</summary>
    public int ReadSignedExpGolomb()
    {
        uint k = ReadUnsignedExpGolomb();
        return (k & 1) != 0 ? (int)((k + 1) / 2) : -(int)(k / 2);
    }
}
