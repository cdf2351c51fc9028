namespace Gateway.Sdp;

/// <summary>An accepted RTP header extension: the offerer's id (used on the wire in both directions), its URI
/// and the direction written in the answer (null: no direction, i.e. sendrecv).</summary>
public sealed record NegotiatedExtension(int Id, string Uri, MediaDirection? Direction);
