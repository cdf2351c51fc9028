namespace MediaPlane.Dtls;

/// <summary>Life cycle of a <see cref="DtlsTransport"/> (mirrors RTCDtlsTransportState).</summary>
public enum DtlsTransportState
{
    New,
    Connecting,
    Connected,
    Failed,
    Closed,
}
