using Rtc.TestSupport;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using Xunit.Abstractions;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// A producer's retransmission buffer and its consumers' rewriters belong to the receive loop of its
/// publisher. Subscribers whose packets reach other loops NACK packets at the edge of the buffer (about
/// to be overwritten by the next packet) while the publisher streams unpaced: every retransmission must be the packet as
/// first forwarded, never a mix of an old slot and the packet overwriting it.
/// </summary>
public sealed class RetransmissionOwnershipTests(ITestOutputHelper output) : IDisposable
{
    private const int Subscribers = 4;
    private const int PayloadLength = 1400;
    private const int LastSequence = 60_000; // no wrap-around: a sequence number seen again is a retransmission
    private const uint PublisherSsrc = 1111;
    private const byte PayloadType = 96;
    private readonly MediaNodeHarness _node = new(receiveLoops: 4);

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Video = new("mic", MediaKind.Audio, PublisherSsrc, null, PayloadType, null, 48000, "opus");

    /// <summary>
    /// What the node forwards for an input packet to a consumer that started with it: the rewriter's first
    /// offsets are zero, so only the extension goes and the output SSRC replaces the publisher's (RFC 3550 §5.1).
    /// </summary>
    private static byte[] Forwarded(ushort sequence, uint outputSsrc)
    {
        var packet = new byte[12 + PayloadLength];
        packet[0] = 0x80;
        packet[1] = PayloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), outputSsrc);
        MediaNodeHarness.Payload(sequence, PayloadLength).CopyTo(packet.AsSpan(12));
        return packet;
    }

    private static byte[] Nack(uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        var buffer = new byte[128];
        RtcpReceiverReport.TryWrite(buffer, 77, [], out int rr).Should().BeTrue();
        RtcpGenericNack.TryWrite(buffer.AsSpan(rr), 77, mediaSsrc, lost, out int nack).Should().BeTrue();
        return buffer[..(rr + nack)];
    }

    /// <summary>
    /// One subscriber: drops every other packet, and NACKs each dropped one again with every packet that
    /// arrives while it is 56 to 64 packets old: at the edge of an audio producer's 64-packet buffer, inside
    /// the client's 128-packet SRTP replay window. Of the answers it takes the first that comes when the
    /// packet is at least <see cref="CheckedAge"/> old (the rest are dropped before decryption, or refused
    /// as replays after), so the answers it checks were copied while the slot was about to be overwritten.
    /// </summary>
    private sealed class NackingSubscriber
    {
        private const int CheckedAge = 58;
        private readonly ConcurrentDictionary<ushort, bool> _dropped = new();
        private int _highest = -1;

        public NackingSubscriber(WebRtcClientTransport client, uint outputSsrc)
        {
            Client = client;
            OutputSsrc = outputSsrc;
            client.DropIncomingRtp = Drop;
            client.OnRtp = OnRtp;
        }

        public WebRtcClientTransport Client { get; }

        public uint OutputSsrc { get; }

        public int Retransmissions => Volatile.Read(ref _retransmissions);
        private int _retransmissions;

        public ConcurrentQueue<string> Torn { get; } = new();

        private bool Drop(ushort sequence)
        {
            if (_dropped.ContainsKey(sequence))
                return Volatile.Read(ref _highest) - sequence < CheckedAge;
            return sequence % 2 == 1 && _dropped.TryAdd(sequence, true);
        }

        private void OnRtp(ReadOnlySpan<byte> packet)
        {
            if (!RtpPacketReader.TryParse(packet, out var header, out _))
                return;
            ushort sequence = header.SequenceNumber;
            if (_dropped.ContainsKey(sequence))
            {
                // Only a retransmission gets through after the drop: it must be the forwarded packet exactly.
                Interlocked.Increment(ref _retransmissions);
                if (!packet.SequenceEqual(Forwarded(sequence, OutputSsrc)))
                    Torn.Enqueue($"ssrc {OutputSsrc} seq {sequence}: {Convert.ToHexString(packet[..Math.Min(24, packet.Length)])}...");
                return;
            }
            if (sequence > _highest)
                Volatile.Write(ref _highest, sequence);
            Span<ushort> lost = stackalloc ushort[8];
            int count = 0;
            for (int age = 56; age <= 64 && count < lost.Length; age++)
            {
                if (sequence - age > 0 && _dropped.ContainsKey((ushort)(sequence - age)))
                    lost[count++] = (ushort)(sequence - age);
            }
            if (count > 0)
                Client.SendRtcp(Nack(OutputSsrc, lost[..count]));
        }
    }

    [Fact]
    public async Task Retransmissions_answered_for_subscribers_on_other_loops_are_the_packets_first_forwarded()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        var subscribers = new List<NackingSubscriber>();
        try
        {
            for (int i = 0; i < Subscribers; i++)
            {
                uint ssrc = 5001u + (uint)i;
                var client = await _node.ConnectAsync($"sub{i}", [], [new SubscribedTrack("mic", ssrc, null, PayloadType, null)]);
                subscribers.Add(new NackingSubscriber(client, ssrc));
            }
            await Poll.UntilAsync(() => _node.Connected.Count == Subscribers + 1);
            _node.Server.TryGetSession("pub", out var publisherSession).Should().BeTrue();
            int onOtherLoops = Enumerable.Range(0, Subscribers).Count(i =>
                _node.Server.TryGetSession($"sub{i}", out var s) && s!.ReceiveSocket != publisherSession!.ReceiveSocket);
            onOtherLoops.Should().BePositive("the kernel spreads clients over the loops by address");

            // Unpaced, as fast as the publisher can protect and send: the buffer's slots turn over quickly.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            ushort sequence = 1;
            while (DateTime.UtcNow < deadline && sequence < LastSequence && subscribers.All(s => s.Torn.IsEmpty))
            {
                for (int burst = 0; burst < 16; burst++, sequence++)
                    publisher.SendRtp(MediaNodeHarness.RtpPacket(PublisherSsrc, PayloadType, sequence, sequence * 3000u, PayloadLength));
                await Task.Yield();
            }

            output.WriteLine($"sent {sequence}, forwarded {_node.Server.Counters.RtpReceived}, nacks answered {_node.Server.Counters.NacksAnswered}, " +
                $"retransmissions checked {subscribers.Sum(s => s.Retransmissions)}, subscribers on other loops {onOtherLoops}");
            var torn = subscribers.SelectMany(s => s.Torn).ToList();
            torn.Should().BeEmpty("a retransmission is copied from a slot nobody writes meanwhile");
            subscribers.Sum(s => s.Retransmissions).Should().BeGreaterThan(200, "NACKs at the buffer's edge were answered");
        }
        finally
        {
            subscribers.ForEach(s => s.Client.Dispose());
        }
    }
}
