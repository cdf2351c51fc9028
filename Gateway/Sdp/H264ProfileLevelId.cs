using System.Globalization;

namespace Gateway.Sdp;

/// <summary>H.264 profiles as negotiation sees them: profile_idc plus the constraint flags that matter.</summary>
public enum H264Profile
{
    /// <summary>A profile_idc/profile-iop pair this table does not classify; it matches only itself.</summary>
    Unknown,
    ConstrainedBaseline,
    Baseline,
    Main,
    Extended,
    High,
    ConstrainedHigh,
    High10,
    High422,
    PredictiveHigh444,
}

/// <summary>
/// The H.264 <c>profile-level-id</c> fmtp parameter (RFC 6184 §8.1): three bytes in hex,
/// <c>profile_idc</c>, <c>profile-iop</c> (constraint_set0..5 flags, then two reserved zero bits) and
/// <c>level_idc</c>. RFC 6184 §8.2.2 (and RFC 7742 §6.2 for WebRTC): offer and answer must agree on the
/// profile (profile_idc and profile-iop); the level may differ when <c>level-asymmetry-allowed=1</c>. The
/// same profile can be written several ways (42e01f and 4de01f are both Constrained Baseline), so the
/// comparison classifies each value into a profile first (H.264 Annex A.2).
/// <code>
///  profile-iop bits:  | cs0 | cs1 | cs2 | cs3 | cs4 | cs5 | 0 | 0 |
///                       0x80  0x40  0x20  0x10  0x08  0x04
/// </code>
/// </summary>
public readonly record struct H264ProfileLevelId(byte ProfileIdc, byte ProfileIop, byte LevelIdc)
{
    /// <summary>RFC 6184 §8.1: without the parameter, Baseline profile at level 1 (42000a) is meant.</summary>
    public static readonly H264ProfileLevelId Default = new(0x42, 0x00, 0x0A);

    private const byte ConstraintSet0 = 0x80;
    private const byte ConstraintSet1 = 0x40;
    private const byte ConstraintSet3 = 0x10;
    private const byte ConstraintSet4 = 0x08;
    private const byte ConstraintSet5 = 0x04;

    public static bool TryParse(string? text, out H264ProfileLevelId value)
    {
        value = default;
        if (text is null || text.Length != 6
            || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
            return false;
        value = new H264ProfileLevelId((byte)(v >> 16), (byte)(v >> 8), (byte)v);
        return true;
    }

    /// <summary>Reads profile-level-id from an fmtp; absent means <see cref="Default"/>.</summary>
    public static bool TryFromFmtp(SdpFmtp? fmtp, out H264ProfileLevelId value)
    {
        var text = fmtp?.Get("profile-level-id");
        if (text is null)
        {
            value = Default;
            return true;
        }
        return TryParse(text, out value);
    }

    /// <summary>Profile per H.264 Annex A.2 from profile_idc and constraint flags.</summary>
    public H264Profile Profile => ProfileIdc switch
    {
        // Baseline with constraint_set1 (decodable by a Main decoder) is Constrained Baseline (A.2.1.1).
        0x42 => (ProfileIop & ConstraintSet1) != 0 ? H264Profile.ConstrainedBaseline : H264Profile.Baseline,
        // Main with constraint_set0 only uses Baseline tools: Constrained Baseline.
        0x4D => (ProfileIop & ConstraintSet0) != 0 ? H264Profile.ConstrainedBaseline : H264Profile.Main,
        0x58 => (ProfileIop & (ConstraintSet0 | ConstraintSet1)) switch
        {
            ConstraintSet0 | ConstraintSet1 => H264Profile.ConstrainedBaseline,
            ConstraintSet0 => H264Profile.Baseline,
            _ => H264Profile.Extended,
        },
        // High with constraint_set4 and constraint_set5 is Constrained High (A.2.4.2).
        0x64 => (ProfileIop & (ConstraintSet4 | ConstraintSet5)) == (ConstraintSet4 | ConstraintSet5)
            ? H264Profile.ConstrainedHigh
            : (ProfileIop & (ConstraintSet4 | ConstraintSet5)) == 0 ? H264Profile.High : H264Profile.Unknown,
        0x6E => H264Profile.High10,
        0x7A => H264Profile.High422,
        0xF4 => H264Profile.PredictiveHigh444,
        _ => H264Profile.Unknown,
    };

    /// <summary>Level 1b is written as level_idc 11 with constraint_set3 in Baseline/Main/Extended.</summary>
    public bool IsLevel1b => LevelIdc == 11 && (ProfileIop & ConstraintSet3) != 0
        && ProfileIdc is 0x42 or 0x4D or 0x58;

    /// <summary>True if both values name the same profile (RFC 6184 §8.2.2); levels are not compared.</summary>
    public bool SameProfile(H264ProfileLevelId other)
    {
        var mine = Profile;
        return mine == H264Profile.Unknown || other.Profile == H264Profile.Unknown
            ? ProfileIdc == other.ProfileIdc && ProfileIop == other.ProfileIop
            : mine == other.Profile;
    }

    public override string ToString() => $"{ProfileIdc:x2}{ProfileIop:x2}{LevelIdc:x2}";
}
