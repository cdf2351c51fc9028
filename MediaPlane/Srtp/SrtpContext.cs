namespace MediaPlane.Srtp;

/// <summary>
/// Both directions of SRTP on one DTLS-SRTP transport (RFC 5764 §4.2): the DTLS client protects with the
/// client write key and salt and the server with the server ones; each side unprotects with the other's.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    private SrtpContext(SrtpSession outbound, SrtpSession inbound)
    {
        Outbound = outbound;
        Inbound = inbound;
    }

    /// <summary>Protects what this endpoint sends.</summary>
    public SrtpSession Outbound { get; }

    /// <summary>Unprotects what this endpoint receives.</summary>
    public SrtpSession Inbound { get; }

    public SrtpProfile Profile => Outbound.Profile;

    /// <param name="material">Keys exported by the DTLS handshake.</param>
    /// <param name="localIsDtlsClient">True when this endpoint was the DTLS client (sent ClientHello).</param>
    /// <param name="maxSsrcs">Per-direction cap on tracked SSRCs.</param>
    public static SrtpContext Create(SrtpKeyingMaterial material, bool localIsDtlsClient, int maxSsrcs = SrtpSession.DefaultMaxSsrcs)
    {
        ArgumentNullException.ThrowIfNull(material);
        var (localKey, localSalt, remoteKey, remoteSalt) = localIsDtlsClient
            ? (material.ClientWriteKey, material.ClientWriteSalt, material.ServerWriteKey, material.ServerWriteSalt)
            : (material.ServerWriteKey, material.ServerWriteSalt, material.ClientWriteKey, material.ClientWriteSalt);
        var outbound = new SrtpSession(material.Profile, localKey, localSalt, maxSsrcs);
        try
        {
            return new SrtpContext(outbound, new SrtpSession(material.Profile, remoteKey, remoteSalt, maxSsrcs));
        }
        catch
        {
            outbound.Dispose();
            throw;
        }
    }

    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength) =>
        Outbound.TryProtectRtp(buffer, length, out protectedLength);

    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength) =>
        Outbound.TryProtectRtcp(buffer, length, out protectedLength);

    public SrtpError UnprotectRtp(Span<byte> buffer, int length, out int plainLength) =>
        Inbound.UnprotectRtp(buffer, length, out plainLength);

    public SrtpError UnprotectRtcp(Span<byte> buffer, int length, out int plainLength) =>
        Inbound.UnprotectRtcp(buffer, length, out plainLength);

    public void Dispose()
    {
        Outbound.Dispose();
        Inbound.Dispose();
    }
}
