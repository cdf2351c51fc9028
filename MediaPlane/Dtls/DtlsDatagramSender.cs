namespace MediaPlane.Dtls;

/// <summary>
/// Sends one datagram to the peer. Called on the handshake thread (or a thread-pool thread after the
/// handshake); the span is only valid during the call, so send or copy it before returning. Exceptions are
/// caught and counted as lost datagrams: DTLS retransmits.
/// </summary>
public delegate void DtlsDatagramSender(ReadOnlySpan<byte> datagram);
