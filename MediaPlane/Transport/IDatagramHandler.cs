namespace MediaPlane.Transport;

/// <summary>
/// Receives every datagram of the media port, on the receive thread that read it. The span is only
/// valid during the call; a handler that keeps data copies it into a pooled buffer.
/// Implementations must not throw: a throw is logged and counted, and the loop goes on.
/// </summary>
public interface IDatagramHandler
{
    void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta);
}
