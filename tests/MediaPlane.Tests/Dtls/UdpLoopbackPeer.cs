using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MediaPlane.Dtls;

namespace MediaPlane.Tests.Dtls;

/// <summary>
/// One end of a real UDP conversation on 127.0.0.1: a socket, a receive loop that demultiplexes by first
/// byte (RFC 7983: 20..63 is DTLS, 128..191 is RTP/RTCP), and a DtlsTransport fed with the DTLS part.
/// </summary>
internal sealed class UdpLoopbackPeer : IAsyncDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource stop = new();
    private Task? receiveLoop;
    private IPEndPoint? remote;
    private DtlsTransport? transport;

    public UdpLoopbackPeer()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public DtlsTransport Transport => transport ?? throw new InvalidOperationException("Not started.");

    /// <summary>Non-DTLS datagrams (SRTP/SRTCP) received after the handshake.</summary>
    public Channel<byte[]> Media { get; } = Channel.CreateUnbounded<byte[]>();

    /// <param name="peer">Where to send; null to learn it from the first datagram received (a server).</param>
    public void Start(DtlsRole role, DtlsCertificate local, DtlsFingerprint remoteFingerprint, IPEndPoint? peer, DtlsTransportOptions? options = null)
    {
        remote = peer;
        transport = new DtlsTransport(role, local, remoteFingerprint, datagram =>
        {
            if (remote is { } to)
                socket.SendTo(datagram, SocketFlags.None, to);
        }, options);
        receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public void SendRaw(ReadOnlySpan<byte> datagram) => socket.SendTo(datagram, SocketFlags.None, remote!);

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. ICMP port unreachable surfacing as ConnectionReset
            }
            remote ??= (IPEndPoint)received.RemoteEndPoint;
            var datagram = buffer.AsSpan(0, received.ReceivedBytes);
            if (datagram.IsEmpty)
                continue;
            if (datagram[0] is >= 20 and <= 63)
                transport!.FeedDatagram(datagram);
            else if (datagram[0] is >= 128 and <= 191)
                Media.Writer.TryWrite(datagram.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        socket.Dispose();
        if (receiveLoop is not null)
            await receiveLoop;
        transport?.Dispose();
        stop.Dispose();
    }
}
