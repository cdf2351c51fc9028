using System.Text;
using MediaPlane.Dtls;

namespace MediaPlane.Fuzz.Targets;

/// <summary>SDP a=fingerprint value parser (RFC 8122 §5). Input bytes are read as Latin-1, one char each.</summary>
public sealed class DtlsFingerprintTarget : IFuzzTarget
{
    public string Name => "dtls-fingerprint";

    public void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.Latin1.GetString(input);
        if (DtlsFingerprint.TryParse(text, out var fingerprint, out var error))
        {
            if (error != DtlsFingerprintError.None)
                throw new InvalidOperationException("Accepted input reported an error.");
            // Formatting what parsed must round-trip.
            if (!DtlsFingerprint.TryParse(fingerprint!.ToString(), out var again) || !again!.Equals(fingerprint))
                throw new InvalidOperationException("Fingerprint did not round-trip.");
        }
    }
}
