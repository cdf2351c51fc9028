using Gateway.Sdp;

namespace Gateway.WebRtc;

/// <summary>
/// How a published track's codec is written in the room ("opus", "VP8", "VP9", "AV1", "H264/42e01f")
/// and turned back into what a subscriber's offer must match: an SFU forwards, it never transcodes.
/// </summary>
internal static class StreamCodecs
{
    public static string Describe(NegotiatedCodec codec)
    {
        if (!codec.Name.Equals("H264", StringComparison.OrdinalIgnoreCase))
            return codec.Name;
        var profile = codec.Fmtp?.Split(';').Select(p => p.Trim())
            .FirstOrDefault(p => p.StartsWith("profile-level-id=", StringComparison.OrdinalIgnoreCase));
        return profile is null ? "H264/42e01f" : $"H264/{profile["profile-level-id=".Length..]}";
    }

    public static CodecCapability? Capability(string described)
    {
        try
        {
            return described.ToUpperInvariant() switch
            {
                "OPUS" => CodecCapability.Opus(),
                "VP8" => CodecCapability.Vp8(),
                "VP9" => CodecCapability.Vp9(),
                "AV1" => CodecCapability.Av1(),
                var h when h.StartsWith("H264/", StringComparison.Ordinal) => CodecCapability.H264(described[5..]),
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
