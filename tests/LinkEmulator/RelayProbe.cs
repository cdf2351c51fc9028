using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MediaPlane.Relay.Protocol;
using MediaPlane.Transport;

namespace LinkEmulator;

/// <summary>
/// Relay v2 across emulated regions, the way silos will use it: node ids are region numbers, every peer is
/// known by the endpoint regions.sh gives for it (`endpoint SELF PEER`), links are keyed from one cluster key
/// (epoch 1). "relay-echo" answers probes with probe replies and counts why it dropped what it dropped;
/// "relay-ping" sends sealed probes of a given size and measures round trips and loss.
/// </summary>
public static class RelayProbe
{
    private const uint Epoch = 1;
    private const int ReplyPrefix = 4; // the probe's send timestamp, echoed at the front of the reply payload

    public static void Echo(int self, int port, IReadOnlyDictionary<int, IPEndPoint> peers, byte[] clusterKey, TimeSpan duration)
    {
        var keys = new RelayKeyDerivation(clusterKey);
        using var socket = Bind(port);
        var table = new RelayPeerTable();
        var sendLinks = peers.ToDictionary(p => (ulong)p.Key, p => (Link: new RelaySendLink(keys.DeriveLinkKey((ulong)self, (ulong)p.Key, Epoch), RelaySendLink.SequenceFromClock()), p.Value));
        table.Replace(peers.Select(p => KeyValuePair.Create(p.Value, new RelayReceiveLink(keys.DeriveLinkKey((ulong)p.Key, (ulong)self, Epoch)))));
        var dropped = new long[Enum.GetValues<RelayOpenError>().Length];
        long opened = 0;
        var stop = new ManualResetEventSlim();
        new Thread(() => { while (Console.ReadLine() is { } line && line != "stop") { } stop.Set(); }) { IsBackground = true }.Start();
        Console.WriteLine($"relay echo listening on {port} as node {self}");
        Console.Out.Flush();

        var buffer = new byte[2048];
        var reply = new byte[2048];
        var sealedReply = new byte[2048 + RelayV2Packet.Overhead + ReplyPrefix];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var end = DateTime.UtcNow + duration;
        while (!stop.IsSet && DateTime.UtcNow < end)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue; // timeout: look at the clock and the stop line
            }
            EndpointKey.TryCreate(from, out var sender);
            if (!table.TryOpen(sender, buffer.AsSpan(0, length), out var probe, out var error))
            {
                dropped[(int)error]++;
                continue;
            }
            opened++;
            if (probe.Type != RelayV2PacketType.Probe || !sendLinks.TryGetValue(probe.Source, out var back))
                continue;
            BinaryPrimitives.WriteUInt32BigEndian(reply, probe.Timestamp);
            probe.Payload.CopyTo(reply.AsSpan(ReplyPrefix));
            var header = new RelayV2Header(RelayV2PacketType.ProbeReply, RelayV2Header.DefaultHopLimit, RelayV2Clock.NowMicroseconds(),
                probe.Room, probe.Stream, (ulong)self, probe.Source);
            if (back.Link.TrySeal(sealedReply, header, reply.AsSpan(0, ReplyPrefix + probe.Payload.Length), out int written))
                socket.SendTo(sealedReply.AsSpan(0, written), SocketFlags.None, back.Value);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"opened\":{opened},\"unknownSender\":{dropped[(int)RelayOpenError.UnknownSender]},\"malformed\":{dropped[(int)RelayOpenError.Malformed]}," +
            $"\"unknownKeyId\":{dropped[(int)RelayOpenError.UnknownKeyId]},\"replayed\":{dropped[(int)RelayOpenError.Replayed]}," +
            $"\"authenticationFailed\":{dropped[(int)RelayOpenError.AuthenticationFailed]}}}"));
    }

    public static void Ping(int self, int port, int target, IPEndPoint targetEndpoint, byte[] clusterKey, int count, double intervalMs, int waitMs, int size)
    {
        var keys = new RelayKeyDerivation(clusterKey);
        using var socket = Bind(port);
        using var send = new RelaySendLink(keys.DeriveLinkKey((ulong)self, (ulong)target, Epoch), RelaySendLink.SequenceFromClock());
        var table = new RelayPeerTable();
        table.Replace([KeyValuePair.Create(targetEndpoint, new RelayReceiveLink(keys.DeriveLinkKey((ulong)target, (ulong)self, Epoch)))]);
        var rtts = new double?[count];
        long rejected = 0;
        var receiver = new Thread(() =>
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (true)
            {
                int length;
                try
                {
                    length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException)
                {
                    continue;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                EndpointKey.TryCreate(from, out var sender);
                if (!table.TryOpen(sender, buffer.AsSpan(0, length), out var reply, out _) || reply.Type != RelayV2PacketType.ProbeReply
                    || reply.Payload.Length < ReplyPrefix + 4)
                {
                    Interlocked.Increment(ref rejected);
                    continue;
                }
                uint sentAt = BinaryPrimitives.ReadUInt32BigEndian(reply.Payload);
                int n = BinaryPrimitives.ReadInt32BigEndian(reply.Payload[ReplyPrefix..]);
                if (n >= 0 && n < count && rtts[n] is null)
                    rtts[n] = RelayV2Clock.Elapsed(sentAt, RelayV2Clock.NowMicroseconds()) / 1000.0;
            }
        }) { IsBackground = true };
        receiver.Start();

        var payload = new byte[Math.Max(size, 4)];
        var datagram = new byte[RelayV2Packet.Overhead + payload.Length];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int n = 0; n < count; n++)
        {
            BinaryPrimitives.WriteInt32BigEndian(payload, n);
            var header = new RelayV2Header(RelayV2PacketType.Probe, RelayV2Header.DefaultHopLimit, RelayV2Clock.NowMicroseconds(),
                Room: 0x600D, Stream: 0x5EED, Source: (ulong)self, Destination: (ulong)target);
            send.TrySeal(datagram, header, payload, out int written);
            socket.SendTo(datagram.AsSpan(0, written), SocketFlags.None, targetEndpoint);
            double next = (n + 1) * intervalMs;
            while (clock.Elapsed.TotalMilliseconds < next)
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1, next - clock.Elapsed.TotalMilliseconds)));
        }
        Thread.Sleep(waitMs);
        var received = rtts.Where(r => r.HasValue).Select(r => r!.Value).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"sent\":{count},\"received\":{received.Length},\"lossPct\":{100.0 * (count - received.Length) / count:F2}," +
            $"\"rttMinMs\":{(received.Length == 0 ? -1 : received[0]):F2},\"rttMedianMs\":{(received.Length == 0 ? -1 : received[received.Length / 2]):F2}," +
            $"\"rejected\":{Interlocked.Read(ref rejected)}}}"));
    }

    private static Socket Bind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        return socket;
    }
}
