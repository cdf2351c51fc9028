namespace Gateway.Sdp;

/// <summary>
/// One codec the server can forward, and how an offered codec must look to match it: the name and clock
/// rate (and channels for audio) of its rtpmap, plus the fmtp parameters that change the bitstream: H.264
/// packetization-mode and profile (RFC 6184 §8.2.2), VP9 profile-id, AV1 profile.
/// </summary>
public sealed record CodecCapability(MediaKind Kind, string Name, int ClockRate, int? Channels = null)
{
    /// <summary>For H.264: the profile the offer must name (levels are not compared).</summary>
    public H264ProfileLevelId? H264Profile { get; init; }

    /// <summary>For H.264: required packetization-mode (absent in an offer means 0).</summary>
    public int? H264PacketizationMode { get; init; }

    /// <summary>For VP9: the required profile-id (absent in an offer means 0).</summary>
    public int? Vp9ProfileId { get; init; }

    /// <summary>For AV1: the required profile (absent in an offer means 0, Main).</summary>
    public int? Av1Profile { get; init; }

    /// <summary>rtcp-fb values we accept for this codec, written as in SDP: <c>nack</c>, <c>nack pli</c>,
    /// <c>ccm fir</c>, <c>transport-cc</c>, <c>goog-remb</c>.</summary>
    public IReadOnlyList<string> Feedback { get; init; } = [];

    // transport-cc only toward publishers (the negotiator drops it for subscribers): the media plane answers a
    // publisher's transport-wide sequence numbers with feedback, but sends subscribers none of its own yet. A browser
    // that negotiated transport-cc and gets no feedback throttles its encoder to ~30 kbit/s (issue 21). goog-remb is the
    // publishers' fallback, answered only where transport-cc is not (the media plane then sends REMB).
    public static readonly IReadOnlyList<string> VideoFeedback = ["nack", "nack pli", "ccm fir", "transport-cc", "goog-remb"];

    public static readonly IReadOnlyList<string> AudioFeedback = ["transport-cc"];

    public static CodecCapability Opus() =>
        new(MediaKind.Audio, "opus", 48000, 2) { Feedback = AudioFeedback };

    public static CodecCapability Vp8() =>
        new(MediaKind.Video, "VP8", 90000) { Feedback = VideoFeedback };

    public static CodecCapability Vp9(int profileId = 0) =>
        new(MediaKind.Video, "VP9", 90000) { Vp9ProfileId = profileId, Feedback = VideoFeedback };

    /// <summary>H.264 with packetization-mode=1 and the given profile-level-id's profile, e.g. 42e01f.</summary>
    public static CodecCapability H264(string profileLevelId) =>
        new(MediaKind.Video, "H264", 90000)
        {
            H264Profile = H264ProfileLevelId.TryParse(profileLevelId, out var p)
                ? p
                : throw new ArgumentException($"'{profileLevelId}' is not a profile-level-id", nameof(profileLevelId)),
            H264PacketizationMode = 1,
            Feedback = VideoFeedback,
        };

    public static CodecCapability Av1(int profile = 0) =>
        new(MediaKind.Video, "AV1", 90000) { Av1Profile = profile, Feedback = VideoFeedback };

    public override string ToString()
    {
        var text = Channels is { } ch ? $"{Name}/{ClockRate}/{ch}" : $"{Name}/{ClockRate}";
        if (H264Profile is { } p)
            text += $" ({p.Profile}, packetization-mode={H264PacketizationMode ?? 0})";
        else if (Vp9ProfileId is { } v)
            text += $" (profile-id={v})";
        else if (Av1Profile is { } a)
            text += $" (profile={a})";
        return text;
    }
}
