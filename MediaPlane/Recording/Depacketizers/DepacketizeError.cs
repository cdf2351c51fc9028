namespace MediaPlane.Recording.Depacketizers;

/// <summary>Why a payload was rejected (network input: reported, never thrown).</summary>
public enum DepacketizeError
{
    None = 0,
    /// <summary>Empty payload or shorter than its payload descriptor.</summary>
    TooShort,
    /// <summary>A descriptor field points past the end of the payload.</summary>
    Truncated,
    /// <summary>A NAL unit type, OBU type or field value the payload format forbids.</summary>
    Unsupported,
    /// <summary>A fragment continues a unit whose start was never seen.</summary>
    OrphanFragment,
    /// <summary>The rebuilt frame would exceed <see cref="RtpDepacketizer.MaxFrameBytes"/>.</summary>
    FrameTooLarge,
}
