namespace MediaPlane.Fec;

public enum FecRecoverResult
{
    Recovered,
    NothingMissing,
    TooManyMissing,
    Malformed,
}

/// <summary>
/// Receiving side of one relay link: remembers the last <c>window</c> packets by per-link sequence number (one
/// preallocated slab) and rebuilds the one packet of a group that is missing when its FEC payload arrives.
/// One owner thread (the link's receive loop); no allocation per packet.
/// </summary>
public sealed class XorFecDecoder
{
    private readonly byte[] _slab;
    private readonly ulong[] _sequences;
    private readonly int[] _lengths;
    private readonly int _maxPacketLength;

    public XorFecDecoder(int window = 256, int maxPacketLength = XorFecEncoder.DefaultMaxPacketLength)
    {
        _maxPacketLength = maxPacketLength;
        _slab = new byte[window * maxPacketLength];
        _sequences = new ulong[window];
        _lengths = new int[window];
        Array.Fill(_sequences, ulong.MaxValue);
    }

    /// <summary>A packet that arrived (or was recovered).</summary>
    public void Remember(ulong sequence, ReadOnlySpan<byte> packet)
    {
        if (packet.Length > _maxPacketLength)
            return;
        int slot = (int)(sequence % (ulong)_sequences.Length);
        _sequences[slot] = sequence;
        _lengths[slot] = packet.Length;
        packet.CopyTo(_slab.AsSpan(slot * _maxPacketLength));
    }

    public bool Has(ulong sequence) => _sequences[(int)(sequence % (ulong)_sequences.Length)] == sequence;

    /// <summary>
    /// Applies an FEC payload: when exactly one protected packet is missing, writes it to <paramref name="recovered"/>
    /// (which must hold <c>maxPacketLength</c> bytes) and remembers it. Never throws on bad input.
    /// </summary>
    public FecRecoverResult TryRecover(ReadOnlySpan<byte> fecPayload, Span<byte> recovered, out ulong sequence, out int length)
    {
        sequence = 0;
        length = 0;
        if (!FecParityPacket.TryParse(fecPayload, out var fec, out _) || fec.Count > _sequences.Length
            || fec.Parity.Length > _maxPacketLength || recovered.Length < fec.Parity.Length || fec.First > ulong.MaxValue - (ulong)fec.Count)
            return FecRecoverResult.Malformed;

        int missing = -1;
        for (int i = 0; i < fec.Count; i++)
        {
            if (Has(fec.First + (ulong)i))
                continue;
            if (missing >= 0)
                return FecRecoverResult.TooManyMissing;
            missing = i;
        }
        if (missing < 0)
            return FecRecoverResult.NothingMissing;

        var output = recovered[..fec.Parity.Length];
        fec.Parity.CopyTo(output);
        int lengthXor = fec.LengthXor;
        for (int i = 0; i < fec.Count; i++)
        {
            if (i == missing)
                continue;
            int slot = (int)((fec.First + (ulong)i) % (ulong)_sequences.Length);
            int n = Math.Min(_lengths[slot], output.Length);
            var stored = _slab.AsSpan(slot * _maxPacketLength, n);
            for (int b = 0; b < n; b++)
                output[b] ^= stored[b];
            lengthXor ^= _lengths[slot];
        }
        if (lengthXor > output.Length)
            return FecRecoverResult.Malformed;
        sequence = fec.First + (ulong)missing;
        length = lengthXor;
        Remember(sequence, output[..length]);
        return FecRecoverResult.Recovered;
    }
}
