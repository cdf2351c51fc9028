namespace Gateway.Sdp;

/// <summary>The outcome for one offered m= section: accepted with a codec, or rejected (port 0 in the answer).</summary>
public sealed class NegotiatedMedia
{
    public int Index { get; init; }

    public string? Mid { get; init; }

    public MediaKind Kind { get; init; }

    /// <summary>The offer's media and proto fields, echoed in the answer's m= line.</summary>
    public required string MediaType { get; init; }

    public required string Protocol { get; init; }

    public bool Accepted { get; init; }

    /// <summary>Why the section was rejected (null when accepted).</summary>
    public string? RejectReason { get; init; }

    /// <summary>The offer's format list, kept so a rejected section can be echoed.</summary>
    public IReadOnlyList<string> OfferedFormats { get; init; } = [];

    public NegotiatedCodec? Codec { get; init; }

    /// <summary>Payload type of the RTX stream for <see cref="Codec"/> (apt=), when offered and enabled.</summary>
    public int? RtxPayloadType { get; init; }

    /// <summary>Accepted rtcp-fb for the codec (payload type set to the codec's).</summary>
    public IReadOnlyList<SdpRtcpFeedback> Feedback { get; init; } = [];

    public IReadOnlyList<NegotiatedExtension> Extensions { get; init; } = [];

    public MediaDirection OfferDirection { get; init; }

    /// <summary>Our direction in the answer: recvonly for a publishing section, sendonly for a subscribing
    /// one, inactive when the offer's direction does not allow the mode's flow.</summary>
    public MediaDirection AnswerDirection { get; init; }

    /// <summary>The client's primary SSRC (from a=ssrc-group:FID or the first a=ssrc), if signalled.
    /// Browsers using simulcast (a=rid) signal none: learn SSRCs from the rid/mid header extensions.</summary>
    public uint? RemoteSsrc { get; init; }

    /// <summary>The client's RTX SSRC, the second member of a=ssrc-group:FID.</summary>
    public uint? RemoteRtxSsrc { get; init; }

    public string? RemoteCname { get; init; }

    /// <summary>a=msid of the section, or the msid of its primary SSRC.</summary>
    public SdpMsid? Msid { get; init; }

    public bool RtcpRsize { get; init; }

    /// <summary>The section offers a=rid/a=simulcast.</summary>
    public bool OfferedSimulcast { get; init; }

    /// <summary>The simulcast layers we receive, by RID, in the offer's order (RFC 8853 §5.3: the answerer may drop
    /// streams); empty when the section is not simulcast or none of its streams is usable. Publish sections only.</summary>
    public IReadOnlyList<string> SimulcastRids { get; init; } = [];

    /// <summary>Id of the mid header extension if accepted, else null.</summary>
    public int? MidExtensionId => Extensions.FirstOrDefault(e => e.Uri == RtpHeaderExtensionUris.Mid)?.Id;
}
