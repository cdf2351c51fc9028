namespace MediaPlane.Stun;

/// <summary>
/// ICE USERNAME (RFC 8445 §7.2.2): "receiverUfrag:senderUfrag". On a request reaching us, the part
/// before the colon is our (local) ufrag and the part after it the remote peer's.
/// </summary>
public static class StunUsername
{
    /// <summary>Splits at the first colon. False when there is no colon or either side is empty.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> username, out ReadOnlySpan<byte> localUfrag, out ReadOnlySpan<byte> remoteUfrag)
    {
        int colon = username.IndexOf((byte)':');
        if (colon <= 0 || colon == username.Length - 1)
        {
            localUfrag = default;
            remoteUfrag = default;
            return false;
        }
        localUfrag = username[..colon];
        remoteUfrag = username[(colon + 1)..];
        return true;
    }
}
