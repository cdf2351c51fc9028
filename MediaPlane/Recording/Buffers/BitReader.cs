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
}
