namespace Gateway.Sdp;

/// <summary>
/// a=rid:&lt;rid-id&gt; &lt;send|recv&gt; [pt=&lt;fmt&gt;,...;&lt;restriction&gt;=&lt;value&gt;;...] (RFC 8851 §10): one RTP stream
/// of a simulcast section, named by the RID the sender puts in the rtp-stream-id header extension.
/// </summary>
/// <param name="Direction">SendOnly for "send" (the offerer sends this stream), RecvOnly for "recv".</param>
/// <param name="PayloadTypes">The pt= list; empty when the stream may use any of the section's formats.</param>
/// <param name="Restrictions">Other parameters (max-width, max-fps, ...) as written, for logs.</param>
public sealed record SdpRid(string Id, MediaDirection Direction, IReadOnlyList<int> PayloadTypes, IReadOnlyList<KeyValuePair<string, string?>> Restrictions)
{
    /// <summary>rid-id = 1*(alpha-numeric / "-" / "_") (RFC 8851 §10); RFC 8852 caps the header value at 255 bytes,
    /// and a browser's ids are a few characters, so 32 is plenty.</summary>
    public const int MaxIdLength = 32;

    public static bool IsValidId(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > MaxIdLength)
            return false;
        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return false;
        }
        return true;
    }
}
