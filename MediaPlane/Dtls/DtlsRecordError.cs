namespace MediaPlane.Dtls;

/// <summary>Why bytes were rejected as a DTLS record by <see cref="DtlsRecordHeader"/>.</summary>
public enum DtlsRecordError
{
    None,
    /// <summary>Fewer than the 13 header bytes.</summary>
    TooShort,
    /// <summary>Content type is not change_cipher_spec, alert, handshake or application_data.</summary>
    UnknownContentType,
    /// <summary>Version is neither DTLS 1.0 (0xFEFF) nor DTLS 1.2 (0xFEFD).</summary>
    NotDtlsVersion,
    /// <summary>The length field runs past the end of the datagram.</summary>
    Truncated,
    /// <summary>Length above 2^14 + 2048, the DTLSCiphertext limit (RFC 5246 §6.2.3).</summary>
    FragmentTooLong,
}
