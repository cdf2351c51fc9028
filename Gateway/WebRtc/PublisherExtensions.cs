using Gateway.Sdp;

namespace Gateway.WebRtc;

/// <summary>
/// Which of a WHIP publisher's negotiated header extensions the media node reads, by their ids in the offer
/// (RFC 8285: within one BUNDLE transport an id names one extension in every section).
/// </summary>
public static class PublisherExtensions
{
    /// <summary>The RFC 6464 audio level id of the first accepted audio section that negotiated it (active speaker).</summary>
    public static int? AudioLevelId(NegotiatedSession session) =>
        session.Media.Where(m => m.Accepted && m.Kind == MediaKind.Audio)
            .SelectMany(m => m.Extensions)
            .FirstOrDefault(e => e.Uri == RtpHeaderExtensionUris.AudioLevel)?.Id;

    /// <summary>
    /// The abs-send-time id when the node is to send REMB: a section negotiated goog-remb (the answer has it only
    /// without transport-cc, see <see cref="SdpNegotiator"/>) and abs-send-time, which the receive-side estimate needs.
    /// </summary>
    public static int? RembAbsSendTimeId(NegotiatedSession session)
    {
        if (WhipHandler.TransportWideCcExtensionId(session) is not null)
            return null;
        foreach (var media in session.Media.Where(m => m.Accepted))
        {
            if (!media.Feedback.Any(f => f.Matches("goog-remb", null)))
                continue;
            if (media.Extensions.FirstOrDefault(e => e.Uri == RtpHeaderExtensionUris.AbsSendTime) is { } absSendTime)
                return absSendTime.Id;
        }
        return null;
    }
}
