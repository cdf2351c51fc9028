using MediaPlane.Dtls;

namespace MediaPlane.Fuzz.Targets;

/// <summary>DTLS record header reader (RFC 6347 §4.1) and the whole-datagram well-formedness walk.</summary>
public sealed class DtlsRecordHeaderTarget : IFuzzTarget
{
    public string Name => "dtls-record";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (DtlsRecordHeader.TryParse(input, out var header, out _) && header.RecordLength > input.Length)
            throw new InvalidOperationException("Record claims more bytes than the datagram holds.");
        DtlsRecordHeader.IsWellFormedDatagram(input, out _);
    }
}
