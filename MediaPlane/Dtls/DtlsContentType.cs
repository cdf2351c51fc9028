namespace MediaPlane.Dtls;

/// <summary>DTLS 1.2 record content types (RFC 5246 §6.2.1, RFC 6347 §4.1).</summary>
public enum DtlsContentType : byte
{
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
}
