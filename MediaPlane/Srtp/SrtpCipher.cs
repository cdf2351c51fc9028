namespace MediaPlane.Srtp;

/// <summary>
/// The cryptographic transform for one set of session keys (the SRTP keys or the SRTCP keys of a
/// session). Callers (<see cref="SrtpSession"/>) have already validated lengths and computed the index;
/// these methods only encrypt/authenticate in place. Not thread-safe.
/// </summary>
internal abstract class SrtpCipher : IDisposable
{
    public abstract int RtpTagLength { get; }

    public abstract int RtcpTagLength { get; }

    /// <summary>Distance from the end of an SRTCP packet to its E-flag/index word.</summary>
    public abstract int RtcpIndexOffsetFromEnd { get; }

    /// <summary>Encrypts the payload at [headerLength, length) and appends the tag; returns the new length.</summary>
    public abstract int ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, uint roc, ushort seq);

    /// <summary>Verifies and decrypts a packet of <paramref name="length"/> bytes including the tag.</summary>
    public abstract bool UnprotectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, uint roc, ushort seq);

    /// <summary>Encrypts after the first 8 bytes, appends E|index and the tag; returns the new length.</summary>
    public abstract int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index);

    /// <summary>Verifies and (if E is set) decrypts; <paramref name="eIndex"/> is the E|index word read from the packet.</summary>
    public abstract bool UnprotectRtcp(Span<byte> packet, int length, uint ssrc, uint eIndex);

    public abstract void Dispose();
}
