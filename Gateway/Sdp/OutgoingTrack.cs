namespace Gateway.Sdp;

/// <summary>A track the server sends in a WHEP section: its SSRC (and RTX SSRC when RTX was negotiated),
/// the CNAME for a=ssrc, and the msid stream and track ids the subscriber's page will see.</summary>
public sealed record OutgoingTrack(uint Ssrc, string Cname, string StreamId, string TrackId)
{
    public uint? RtxSsrc { get; init; }
}
