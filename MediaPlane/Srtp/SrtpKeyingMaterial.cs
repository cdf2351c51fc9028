namespace MediaPlane.Srtp;

/// <summary>
/// What a DTLS-SRTP handshake yields (RFC 5764 §4.2): the negotiated profile and the exported
/// "EXTRACTOR-dtls_srtp" material split into client and server write keys and salts.
/// The DTLS client protects with the client key; the server with the server key.
/// </summary>
public sealed record SrtpKeyingMaterial(
    SrtpProfile Profile,
    byte[] ClientWriteKey,
    byte[] ServerWriteKey,
    byte[] ClientWriteSalt,
    byte[] ServerWriteSalt)
{
    /// <summary>Splits exporter output laid out as client key | server key | client salt | server salt.</summary>
    public static SrtpKeyingMaterial FromExporterOutput(SrtpProfile profile, ReadOnlySpan<byte> material)
    {
        int keyLength = profile.MasterKeyLength();
        int saltLength = profile.MasterSaltLength();
        if (material.Length != 2 * (keyLength + saltLength))
            throw new ArgumentException($"Exporter output must be {2 * (keyLength + saltLength)} bytes for {profile}.", nameof(material));
        return new SrtpKeyingMaterial(
            profile,
            material.Slice(0, keyLength).ToArray(),
            material.Slice(keyLength, keyLength).ToArray(),
            material.Slice(2 * keyLength, saltLength).ToArray(),
            material.Slice(2 * keyLength + saltLength, saltLength).ToArray());
    }

    /// <summary>Total exporter length to ask for (RFC 5764 §4.2).</summary>
    public static int ExporterLength(SrtpProfile profile) => 2 * (profile.MasterKeyLength() + profile.MasterSaltLength());
}
