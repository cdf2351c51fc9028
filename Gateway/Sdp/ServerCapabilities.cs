namespace Gateway.Sdp;

/// <summary>An RTP header extension the server accepts, for one media kind or (null) for both.</summary>
public sealed record HeaderExtensionCapability(string Uri, MediaKind? Kind = null);

/// <summary>
/// What the server accepts in an offer. <see cref="Default"/> is what a publisher may send; for a WHEP
/// subscriber, narrow the codecs to the publisher's (<see cref="WithCodecs"/>), since an SFU forwards and
/// does not transcode.
/// </summary>
public sealed record ServerCapabilities
{
    public static readonly ServerCapabilities Default = new()
    {
        Codecs =
        [
            CodecCapability.Opus(),
            CodecCapability.Vp8(),
            CodecCapability.Vp9(0),
            CodecCapability.H264("42e01f"),
            CodecCapability.H264("42001f"),
            CodecCapability.H264("4d001f"),
            CodecCapability.H264("640c1f"),
            CodecCapability.H264("64001f"),
            CodecCapability.Av1(0),
        ],
        HeaderExtensions =
        [
            new(RtpHeaderExtensionUris.Mid),
            new(RtpHeaderExtensionUris.AbsSendTime),
            new(RtpHeaderExtensionUris.TransportWideCc),
            new(RtpHeaderExtensionUris.AudioLevel, MediaKind.Audio),
            new(RtpHeaderExtensionUris.RtpStreamId, MediaKind.Video), // publish (simulcast) sections only
            new(RtpHeaderExtensionUris.RepairedRtpStreamId, MediaKind.Video),
            new(RtpHeaderExtensionUris.VideoOrientation, MediaKind.Video),
            new(RtpHeaderExtensionUris.PlayoutDelay, MediaKind.Video),
            new(RtpHeaderExtensionUris.DependencyDescriptor, MediaKind.Video),
        ],
    };

    /// <summary>Simulcast streams taken from one section (RFC 8853); fewer than 2 turns simulcast off.</summary>
    public int MaxSimulcastLayers { get; init; } = 3;

    /// <summary>Codecs in the server's order of preference.</summary>
    public IReadOnlyList<CodecCapability> Codecs { get; init; } = [];

    public IReadOnlyList<HeaderExtensionCapability> HeaderExtensions { get; init; } = [];

    /// <summary>Accept an RTX stream (RFC 4588) for the chosen codec when the offer has one.</summary>
    public bool Rtx { get; init; } = true;

    /// <summary>False (default): pick the first codec in the offer's order that we support, as RFC 3264
    /// §6.1 suggests. True: pick the offered codec that comes first in <see cref="Codecs"/>.</summary>
    public bool PreferServerOrder { get; init; }

    public ServerCapabilities WithCodecs(params CodecCapability[] codecs) => this with { Codecs = codecs };

    public bool SupportsExtension(string uri, MediaKind kind) =>
        HeaderExtensions.Any(h => h.Uri == uri && (h.Kind is null || h.Kind == kind));
}
