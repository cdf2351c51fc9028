namespace Gateway.Sdp;

/// <summary>The a=setup attribute (RFC 4145 §4, RFC 5763 §5): who opens the DTLS connection.</summary>
public enum SetupRole
{
    /// <summary>Initiates the connection: the DTLS client.</summary>
    Active,

    /// <summary>Accepts the connection: the DTLS server.</summary>
    Passive,

    /// <summary>Either; an offer must say this (RFC 8842 §5.2), the answer picks.</summary>
    ActPass,

    HoldConn,
}

public static class SetupRoleExtensions
{
    public static string ToSdp(this SetupRole role) => role switch
    {
        SetupRole.Active => "active",
        SetupRole.Passive => "passive",
        SetupRole.ActPass => "actpass",
        _ => "holdconn",
    };

    internal static bool TryParse(ReadOnlySpan<char> value, out SetupRole role)
    {
        role = default;
        if (value.Equals("active", StringComparison.OrdinalIgnoreCase)) role = SetupRole.Active;
        else if (value.Equals("passive", StringComparison.OrdinalIgnoreCase)) role = SetupRole.Passive;
        else if (value.Equals("actpass", StringComparison.OrdinalIgnoreCase)) role = SetupRole.ActPass;
        else if (value.Equals("holdconn", StringComparison.OrdinalIgnoreCase)) role = SetupRole.HoldConn;
        else return false;
        return true;
    }
}
