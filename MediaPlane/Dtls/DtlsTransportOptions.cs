using MediaPlane.Srtp;

namespace MediaPlane.Dtls;

/// <summary>Tuning for a <see cref="DtlsTransport"/>. Immutable; share one instance.</summary>
public sealed record DtlsTransportOptions
{
    public static DtlsTransportOptions Default { get; } = new();

    /// <summary>Whole-handshake limit; past it the result is Failed with a timeout reason. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// First retransmission timer of a flight (RFC 6347 §4.2.4.1 recommends 1 s); doubled on every
    /// retransmission by BouncyCastle up to 60 s.
    /// </summary>
    public TimeSpan InitialRetransmitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Server role: the handshake thread starts only for a ClientHello that returns our cookie (RFC 6347 §4.2.1);
    /// a ClientHello without it is answered with a HelloVerifyRequest, statelessly and smaller than the hello.
    /// Default false: with it on, Chromium 156 did not connect in our browser tests (its ClientHello arrives
    /// fragmented; ClientHelloReassembler was written for that but is not yet proven with a browser).
    /// BouncyCastle and OpenSSL 3 clients complete the exchange (DtlsCookieTests, OpenSslInteropTests).
    /// </summary>
    public bool RequireCookie { get; init; }

    /// <summary>Received datagrams waiting for the handshake thread; more are dropped (DTLS retransmits).</summary>
    public int ReceiveQueueCapacity { get; init; } = 32;

    /// <summary>Largest datagram we send; handshake messages are fragmented to fit (RFC 6347 §4.1.1.1).</summary>
    public int MaxSendDatagramSize { get; init; } = 1200;

    /// <summary>Largest datagram accepted by <see cref="DtlsTransport.FeedDatagram"/>.</summary>
    public int MaxReceiveDatagramSize { get; init; } = 2048;

    /// <summary>
    /// SRTP protection profiles in preference order: offered in this order by the client, chosen in this
    /// order by the server (RFC 5764 §4.1.1).
    /// </summary>
    public IReadOnlyList<SrtpProfile> SrtpProfiles { get; init; } =
    [
        SrtpProfile.AeadAes128Gcm,
        SrtpProfile.AeadAes256Gcm,
        SrtpProfile.AesCm128HmacSha1_80,
        SrtpProfile.AesCm128HmacSha1_32,
    ];

    internal void Validate()
    {
        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(10))
            throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "Must be in (0, 10 min].");
        if (InitialRetransmitTimeout < TimeSpan.FromMilliseconds(1) || InitialRetransmitTimeout > TimeSpan.FromSeconds(60))
            throw new ArgumentOutOfRangeException(nameof(InitialRetransmitTimeout), InitialRetransmitTimeout, "Must be in [1 ms, 60 s].");
        if (ReceiveQueueCapacity is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(ReceiveQueueCapacity), ReceiveQueueCapacity, "Must be in [1, 4096].");
        if (MaxSendDatagramSize is < 256 or > 65507)
            throw new ArgumentOutOfRangeException(nameof(MaxSendDatagramSize), MaxSendDatagramSize, "Must be in [256, 65507].");
        if (MaxReceiveDatagramSize is < 256 or > 65507)
            throw new ArgumentOutOfRangeException(nameof(MaxReceiveDatagramSize), MaxReceiveDatagramSize, "Must be in [256, 65507].");
        if (SrtpProfiles.Count == 0 || SrtpProfiles.Any(p => !p.IsKnown()) || SrtpProfiles.Distinct().Count() != SrtpProfiles.Count)
            throw new ArgumentException("SrtpProfiles must be a non-empty list of distinct known profiles.", nameof(SrtpProfiles));
    }
}
