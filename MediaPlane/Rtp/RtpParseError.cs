namespace MediaPlane.Rtp;

/// <summary>Why <see cref="RtpPacketReader.TryParse"/> rejected a packet.</summary>
public enum RtpParseError
{
    None = 0,
    /// <summary>Fewer than 12 bytes.</summary>
    TooShort,
    /// <summary>Version is not 2.</summary>
    BadVersion,
    /// <summary>The CSRC list runs past the end.</summary>
    CsrcOverrun,
    /// <summary>The header extension runs past the end.</summary>
    ExtensionOverrun,
    /// <summary>P is set but the padding count is 0 or larger than what follows the header.</summary>
    BadPadding,
}
