namespace MediaPlane.Rtp;

/// <summary>One a=extmap of a negotiation (RFC 8285 §8): the URI and the id its side chose.</summary>
public sealed record NegotiatedHeaderExtension(string Uri, int Id);
