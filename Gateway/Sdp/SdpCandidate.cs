namespace Gateway.Sdp;

/// <summary>a=candidate (RFC 8839 §5.1). Kept for logs only: the media plane never sends to an address from
/// SDP, it answers the source address of an authenticated STUN request. Addresses may be mDNS names.</summary>
public sealed record SdpCandidate(
    string Foundation,
    int Component,
    string Transport,
    uint Priority,
    string Address,
    int Port,
    string Type,
    string? RelatedAddress,
    int? RelatedPort);
