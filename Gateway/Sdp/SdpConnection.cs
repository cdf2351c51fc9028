namespace Gateway.Sdp;

/// <summary>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt; (RFC 8866 §5.7). Never used to send media:
/// the media plane learns the peer's address from its STUN requests.</summary>
public sealed record SdpConnection(string NetType, string AddrType, string Address);
