namespace MediaPlane.Relay;

/// <summary>Builds relay datagrams (layout in <see cref="RelayPacketReader"/>) into a caller's buffer.</summary>
public static class RelayPacketWriter
{
    /// <summary>
    /// Header, payload, tag. The payload may already sit at <see cref="RelayPacketReader.HeaderLength"/>
    /// in <paramref name="destination"/> (the copy is then a no-op move), so a packet can be built in place.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, in RelayHeader header, ReadOnlySpan<byte> payload,
        RelayAuthenticator authenticator, out int written)
    {
        written = 0;
        int length = RelayPacketReader.Overhead + payload.Length;
        if (destination.Length < length || !Enum.IsDefined(header.Kind))
            return false;
        payload.CopyTo(destination[RelayPacketReader.HeaderLength..]);
        RelayPacketReader.WriteHeader(destination, header);
        int authenticated = RelayPacketReader.HeaderLength + payload.Length;
        authenticator.WriteTag(destination[..authenticated], destination.Slice(authenticated, RelayAuthenticator.TagLength));
        written = length;
        return true;
    }
}
