using MediaPlane.Fec;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// FEC payloads (relay v2 type 6): parse, then recover against a decoder that holds packets 100..103 and 105..107.
/// Invariants: the parity slice is the input after the header; a recovered packet is one of the protected
/// sequence numbers that was missing, no longer than the parity, and is remembered afterwards.
/// </summary>
public sealed class FecFuzzTarget : IFuzzTarget
{
    private static readonly byte[] Stored = [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 7))];
    private readonly byte[] _recovered = new byte[1500];

    public string Name => "fec";

    public void Run(ReadOnlySpan<byte> input)
    {
        bool parsed = FecParityPacket.TryParse(input, out var fec, out var error);
        FuzzCheck.That(parsed == (error == FecParseError.None), "failure carries a reason, success none");
        if (parsed)
            FuzzCheck.That(FuzzCheck.Within(input, fec.Parity) && fec.Parity.Length == input.Length - FecParityPacket.HeaderLength, "parity is the rest");

        var decoder = new XorFecDecoder(window: 64);
        for (ulong s = 100; s < 108; s++)
        {
            if (s != 104)
                decoder.Remember(s, Stored.AsSpan(0, (int)(s - 90)));
        }
        var result = decoder.TryRecover(input, _recovered, out ulong sequence, out int length);
        FuzzCheck.That(parsed || result == FecRecoverResult.Malformed, "what does not parse is malformed");
        if (result == FecRecoverResult.Recovered)
            FuzzCheck.That(fec.Protects(sequence) && length <= fec.Parity.Length && decoder.Has(sequence), "a recovered packet is a protected, missing one");
    }

    /// <summary>Valid payloads for the corpus.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Seeds()
    {
        var encoder = new XorFecEncoder { GroupSize = 8 };
        var fec = new byte[encoder.MaxPayloadLength];
        int written = 0;
        for (ulong s = 100; s < 108; s++)
            encoder.TryAdd(s, Stored.AsSpan(0, (int)(s - 90)), fec, out written);
        return [("group-of-8-one-missing", fec[..written]), ("header-only", [0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0])];
    }
}
