using System.Buffers.Binary;

namespace MediaPlane.Srtp;

/// <summary>
/// One direction of SRTP/SRTCP (RFC 3711, RFC 7714) under one master key: use one instance to protect what
/// is sent and another to unprotect what is received (<see cref="SrtpContext"/> builds the pair from DTLS
/// keying material). Everything happens in place in the caller's buffer; nothing is allocated per packet,
/// only once per new SSRC, and at most <see cref="MaxSsrcs"/> SSRCs are tracked.
/// Unprotect never throws on bad input; it returns an <see cref="SrtpError"/>. On error the buffer content
/// is unspecified (AES-GCM decrypts before the tag check). Not thread-safe: one packet at a time.
/// </summary>
public sealed class SrtpSession : IDisposable
{
    public const int DefaultMaxSsrcs = 256;

    private const int RtpFixedHeaderLength = 12;
    private const int RtcpHeaderLength = 8;

    private readonly SrtpCipher _rtp;
    private readonly SrtpCipher _rtcp;
    private readonly Dictionary<uint, SrtpStreamState> _streams;
    private bool _disposed;

    /// <summary>Derives the session keys (RFC 3711 §4.3) from the master key and salt of <paramref name="profile"/>.</summary>
    public SrtpSession(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, int maxSsrcs = DefaultMaxSsrcs)
        : this(profile, CreateCiphers(profile, masterKey, masterSalt), maxSsrcs)
    {
    }

    /// <summary>With ready session ciphers: for RFC test vectors that give session keys, not master keys.</summary>
    internal SrtpSession(SrtpProfile profile, (SrtpCipher Rtp, SrtpCipher Rtcp) ciphers, int maxSsrcs = DefaultMaxSsrcs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSsrcs, 1);
        Profile = profile;
        _rtp = ciphers.Rtp;
        _rtcp = ciphers.Rtcp;
        MaxSsrcs = maxSsrcs;
        _streams = new Dictionary<uint, SrtpStreamState>(Math.Min(maxSsrcs, 16));
    }

    public SrtpProfile Profile { get; }

    /// <summary>Most SSRCs this session keeps state for; packets of further SSRCs are refused.</summary>
    public int MaxSsrcs { get; }

    /// <summary>SSRCs currently tracked.</summary>
    public int SsrcCount => _streams.Count;

    /// <summary>Room to leave after an RTP packet for <see cref="TryProtectRtp"/>.</summary>
    public int RtpOverhead => _rtp.RtpTagLength;

    /// <summary>Room to leave after an RTCP packet for <see cref="TryProtectRtcp"/>.</summary>
    public int RtcpOverhead => _rtcp.RtcpTagLength + 4;

    private static (SrtpCipher, SrtpCipher) CreateCiphers(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (!profile.IsKnown())
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown SRTP profile.");
        if (masterKey.Length != profile.MasterKeyLength())
            throw new ArgumentException($"{profile} needs a {profile.MasterKeyLength()}-byte master key.", nameof(masterKey));
        if (masterSalt.Length != profile.MasterSaltLength())
            throw new ArgumentException($"{profile} needs a {profile.MasterSaltLength()}-byte master salt.", nameof(masterSalt));

        using var prf = new AesCounterMode(masterKey);
        int keyLength = masterKey.Length;
        if (profile.IsAead())
        {
            Span<byte> key = stackalloc byte[keyLength];
            Span<byte> salt = stackalloc byte[12];
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpEncryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpSaltLabel, salt);
            var rtp = new AesGcmCipher(key, salt);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpEncryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpSaltLabel, salt);
            var rtcp = new AesGcmCipher(key, salt);
            key.Clear();
            return (rtp, rtcp);
        }
        else
        {
            Span<byte> key = stackalloc byte[keyLength];
            Span<byte> salt = stackalloc byte[14];
            Span<byte> auth = stackalloc byte[HmacSha1.DigestLength];
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpEncryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpSaltLabel, salt);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, auth);
            var rtp = new AesCmHmacSha1Cipher(key, salt, auth, profile.RtpAuthTagLength(), profile.RtcpAuthTagLength());
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpEncryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpSaltLabel, salt);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpAuthenticationLabel, auth);
            var rtcp = new AesCmHmacSha1Cipher(key, salt, auth, profile.RtpAuthTagLength(), profile.RtcpAuthTagLength());
            key.Clear();
            auth.Clear();
            return (rtp, rtcp);
        }
    }

    /// <summary>
    /// RTP header length (RFC 3550 §5.1), or -1 if not version 2 or the CSRCs/extension overrun <paramref name="limit"/>.
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|X|  CC   |M|     PT      |       sequence number         |
    ///     |                           timestamp                           |
    ///     |           synchronization source (SSRC) identifier            |
    ///     |            contributing source (CSRC) identifiers (CC x 32)   |
    ///     |      defined by profile       |           length (words)      |
    ///     |                        header extension                       |
    /// </summary>
    private static int RtpHeaderLength(ReadOnlySpan<byte> packet, int limit)
    {
        byte first = packet[0];
        if (first >> 6 != 2)
            return -1;
        int length = RtpFixedHeaderLength + 4 * (first & 0x0F);
        if ((first & 0x10) != 0)
        {
            if (length + 4 > limit)
                return -1;
            length += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]);
        }
        return length <= limit ? length : -1;
    }

    /// <summary>
    /// Encrypts and authenticates the RTP packet in <c>buffer[..length]</c> in place (RFC 3711 §3.3).
    /// <paramref name="buffer"/> must have <see cref="RtpOverhead"/> bytes of room after the packet.
    /// False if the packet is not RTP, the buffer is too small, or a new SSRC exceeds <see cref="MaxSsrcs"/>.
    /// </summary>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        protectedLength = 0;
        if (length < RtpFixedHeaderLength || length > buffer.Length - _rtp.RtpTagLength || length > AesCounterMode.MaxBlocks * 16)
            return false;
        int headerLength = RtpHeaderLength(buffer, length);
        if (headerLength < 0)
            return false;
        ushort seq = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var state = GetOrAddStream(ssrc);
        if (state is null)
            return false;
        long index = state.EstimateIndex(seq, out uint roc);
        if (index < 0)
            roc = 0; // older than the first packet sent: keep ROC 0 rather than wrap below it
        state.Update(seq, roc);
        protectedLength = _rtp.ProtectRtp(buffer, headerLength, length, ssrc, roc, seq);
        return true;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTP packet in <c>buffer[..length]</c> in place
    /// (RFC 3711 §3.3). On <see cref="SrtpError.None"/>, <paramref name="plainLength"/> is the RTP length.
    /// </summary>
    public SrtpError UnprotectRtp(Span<byte> buffer, int length, out int plainLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plainLength = 0;
        if ((uint)length > (uint)buffer.Length || length < RtpFixedHeaderLength + _rtp.RtpTagLength)
            return SrtpError.TooShort;
        if (length > AesCounterMode.MaxBlocks * 16)
            return SrtpError.InvalidHeader;
        int authenticatedLength = length - _rtp.RtpTagLength;
        int headerLength = RtpHeaderLength(buffer, authenticatedLength);
        if (headerLength < 0)
            return SrtpError.InvalidHeader;
        ushort seq = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);

        _streams.TryGetValue(ssrc, out var state);
        uint roc = 0;
        long index = seq;
        if (state is not null)
        {
            index = state.EstimateIndex(seq, out roc);
            if (index < 0 || !state.RtpWindow.Check((ulong)index))
                return SrtpError.Replay;
        }
        else if (_streams.Count >= MaxSsrcs)
        {
            return SrtpError.TooManySsrcs;
        }

        if (!_rtp.UnprotectRtp(buffer, headerLength, length, ssrc, roc, seq))
            return SrtpError.AuthFailed;

        // Only an authentic packet may create or move state.
        state ??= AddStream(ssrc);
        state.Update(seq, roc);
        state.RtpWindow.Accept((ulong)index);
        plainLength = authenticatedLength;
        return SrtpError.None;
    }

    /// <summary>
    /// Encrypts and authenticates the RTCP compound packet in <c>buffer[..length]</c> in place (RFC 3711 §3.4),
    /// appending E|SRTCP index and the tag. <paramref name="buffer"/> needs <see cref="RtcpOverhead"/> bytes of room.
    /// </summary>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        protectedLength = 0;
        if (length < RtcpHeaderLength || length > buffer.Length - RtcpOverhead || length > AesCounterMode.MaxBlocks * 16 || buffer[0] >> 6 != 2)
            return false;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        var state = GetOrAddStream(ssrc);
        if (state is null)
            return false;
        uint index = state.NextRtcpIndex;
        state.NextRtcpIndex = (index + 1) & 0x7FFF_FFFFu;
        protectedLength = _rtcp.ProtectRtcp(buffer, length, ssrc, index);
        return true;
    }

    /// <summary>
    /// Authenticates, replay-checks and (when the E flag is set) decrypts the SRTCP packet in
    /// <c>buffer[..length]</c> in place (RFC 3711 §3.4). On success <paramref name="plainLength"/> is the RTCP length.
    /// </summary>
    public SrtpError UnprotectRtcp(Span<byte> buffer, int length, out int plainLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plainLength = 0;
        int trailer = _rtcp.RtcpTagLength + 4;
        if ((uint)length > (uint)buffer.Length || length < RtcpHeaderLength + trailer)
            return SrtpError.TooShort;
        if (buffer[0] >> 6 != 2 || length > AesCounterMode.MaxBlocks * 16)
            return SrtpError.InvalidHeader;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        uint eIndex = BinaryPrimitives.ReadUInt32BigEndian(buffer[(length - _rtcp.RtcpIndexOffsetFromEnd)..]);
        uint index = eIndex & 0x7FFF_FFFFu;

        _streams.TryGetValue(ssrc, out var state);
        if (state is not null)
        {
            if (!state.RtcpWindow.Check(index))
                return SrtpError.Replay;
        }
        else if (_streams.Count >= MaxSsrcs)
        {
            return SrtpError.TooManySsrcs;
        }

        if (!_rtcp.UnprotectRtcp(buffer, length, ssrc, eIndex))
            return SrtpError.AuthFailed;

        state ??= AddStream(ssrc);
        state.RtcpWindow.Accept(index);
        plainLength = length - trailer;
        return SrtpError.None;
    }

    private SrtpStreamState? GetOrAddStream(uint ssrc)
    {
        if (_streams.TryGetValue(ssrc, out var state))
            return state;
        return _streams.Count >= MaxSsrcs ? null : AddStream(ssrc);
    }

    private SrtpStreamState AddStream(uint ssrc)
    {
        var state = new SrtpStreamState();
        _streams.Add(ssrc, state);
        return state;
    }

    /// <summary>Forgets an SSRC (e.g. when its producer closes), freeing room under <see cref="MaxSsrcs"/>.</summary>
    public bool RemoveSsrc(uint ssrc) => _streams.Remove(ssrc);

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _rtp.Dispose();
        _rtcp.Dispose();
        _streams.Clear();
    }
}
