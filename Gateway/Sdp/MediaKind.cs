namespace Gateway.Sdp;

/// <summary>The &lt;media&gt; field of an m= line (RFC 8866 §5.14).</summary>
public enum MediaKind
{
    Other,
    Audio,
    Video,
    Application,
}
