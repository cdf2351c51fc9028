namespace Gateway.Sdp;

/// <summary>Which way media flows for the offering client.</summary>
public enum NegotiationMode
{
    /// <summary>WHIP (RFC 9725): the client sends, the server receives. Answers are recvonly.</summary>
    Publish,

    /// <summary>WHEP: the server sends, the client receives. Answers are sendonly.</summary>
    Subscribe,
}
