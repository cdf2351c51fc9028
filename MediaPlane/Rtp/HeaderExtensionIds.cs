namespace MediaPlane.Rtp;

/// <summary>
/// The ids one side of a negotiation gave to the extensions in <see cref="HeaderExtensionKind"/> (0: not negotiated).
/// Immutable once built; read per packet without a lock.
/// </summary>
public sealed class HeaderExtensionIds
{
    public const string MidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string AbsSendTimeUri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const string TransportSequenceNumberUri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const string AudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public const string VideoOrientationUri = "urn:3gpp:video-orientation";
    public const string PlayoutDelayUri = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    public const string DependencyDescriptorUri =
        "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

    public const int KindCount = 7;

    public static readonly HeaderExtensionIds None = new([]);

    private readonly byte[] _ids = new byte[KindCount];

    private HeaderExtensionIds(IEnumerable<NegotiatedHeaderExtension> extensions)
    {
        foreach (var extension in extensions)
        {
            // RFC 8285 §4.2/§4.3: one-byte ids 1-14, two-byte ids 1-255.
            if (extension.Id is < 1 or > 255 || KindOf(extension.Uri) is not { } kind)
                continue;
            _ids[(int)kind] = (byte)extension.Id;
            IsEmpty = false;
        }
    }

    public static HeaderExtensionIds From(IEnumerable<NegotiatedHeaderExtension>? extensions) =>
        extensions is null ? None : new HeaderExtensionIds(extensions);

    /// <summary>True when none of the known extensions was negotiated.</summary>
    public bool IsEmpty { get; } = true;

    /// <summary>The negotiated id, 0 when not negotiated.</summary>
    public int this[HeaderExtensionKind kind] => _ids[(int)kind];

    public static HeaderExtensionKind? KindOf(string uri) => uri switch
    {
        MidUri => HeaderExtensionKind.Mid,
        AbsSendTimeUri => HeaderExtensionKind.AbsSendTime,
        TransportSequenceNumberUri => HeaderExtensionKind.TransportSequenceNumber,
        AudioLevelUri => HeaderExtensionKind.AudioLevel,
        VideoOrientationUri => HeaderExtensionKind.VideoOrientation,
        PlayoutDelayUri => HeaderExtensionKind.PlayoutDelay,
        DependencyDescriptorUri => HeaderExtensionKind.DependencyDescriptor,
        _ => null,
    };
}
