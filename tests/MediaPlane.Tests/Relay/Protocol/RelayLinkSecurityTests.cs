using System.Net;
using System.Security.Cryptography;
using MediaPlane.Relay.Protocol;
using MediaPlane.Transport;

namespace MediaPlane.Tests.Relay.Protocol;

public class RelayLinkSecurityTests
{
    private const ulong NodeA = 0xA1, NodeB = 0xB2;
    private static readonly RelayKeyDerivation Keys = new("relay-security-test-cluster-key"u8);
    private static readonly IPEndPoint PeerA = new(IPAddress.Parse("10.77.0.11"), 7400);

    private static byte[] Payload(int n)
    {
        var payload = new byte[120];
        payload[0] = 0x80;
        payload[1] = (byte)n;
        payload[^1] = (byte)(n >> 8);
        return payload;
    }

    private static byte[] Seal(RelaySendLink sender, int n)
    {
        var buffer = new byte[300];
        var header = RelayV2PacketTests.SampleHeader with { Timestamp = (uint)n };
        sender.TrySeal(buffer, header, Payload(n), out int written).Should().BeTrue();
        return buffer[..written];
    }

    private static (RelaySendLink, RelayReceiveLink) Link(uint epoch = 1) =>
        (new RelaySendLink(Keys.DeriveLinkKey(NodeA, NodeB, epoch), 1000), new RelayReceiveLink(Keys.DeriveLinkKey(NodeA, NodeB, epoch)));

    [Fact]
    public void Sealed_payload_is_not_in_clear_and_opens_to_the_original()
    {
        var (sender, receiver) = Link();
        var sealedBytes = Seal(sender, 7);
        var payload = Payload(7);

        sealedBytes.AsSpan().IndexOf(payload.AsSpan(0, 16)).Should().Be(-1, "the payload is encrypted");
        receiver.TryOpen(sealedBytes, out var packet, out var error).Should().BeTrue();

        error.Should().Be(RelayOpenError.None);
        packet.Payload.ToArray().Should().Equal(payload);
        packet.Sequence.Should().Be(1000);
        packet.KeyId.Should().Be(1);
        packet.ToHeader().Should().Be(RelayV2PacketTests.SampleHeader with { Timestamp = 7 });
    }

    [Fact]
    public void A_flipped_byte_anywhere_is_rejected()
    {
        var (sender, _) = Link();
        var original = Seal(sender, 1);
        for (int at = 0; at < original.Length; at++)
        {
            var tampered = (byte[])original.Clone();
            tampered[at] ^= 0x01;
            using var receiver = new RelayReceiveLink(Keys.DeriveLinkKey(NodeA, NodeB, 1));

            receiver.TryOpen(tampered, out _, out var error).Should().BeFalse($"byte {at} was changed");

            error.Should().NotBe(RelayOpenError.None);
        }
    }

    [Fact]
    public void Another_links_key_does_not_open()
    {
        var (sender, _) = Link();
        var reverse = new RelayReceiveLink(Keys.DeriveLinkKey(NodeB, NodeA, 1));
        var otherCluster = new RelayReceiveLink(new RelayKeyDerivation("another-cluster-key-000000000000"u8).DeriveLinkKey(NodeA, NodeB, 1));

        reverse.TryOpen(Seal(sender, 1), out _, out var error).Should().BeFalse();
        error.Should().Be(RelayOpenError.AuthenticationFailed);
        otherCluster.TryOpen(Seal(sender, 2), out _, out error).Should().BeFalse();
        error.Should().Be(RelayOpenError.AuthenticationFailed);
    }

    [Fact]
    public void A_replayed_packet_is_rejected()
    {
        var (sender, receiver) = Link();
        var first = Seal(sender, 1);
        var copy = (byte[])first.Clone();

        receiver.TryOpen(first, out _, out _).Should().BeTrue();
        receiver.TryOpen(copy, out _, out var error).Should().BeFalse();

        error.Should().Be(RelayOpenError.Replayed);
        receiver.Replayed.Should().Be(1);
        receiver.AuthenticationAttempts.Should().Be(1, "a replay is dropped before the AEAD runs");
    }

    [Fact]
    public void Reordered_within_the_window_is_accepted_and_older_than_the_window_is_not()
    {
        var (sender, receiver) = Link();
        var packets = Enumerable.Range(0, 200).Select(n => Seal(sender, n)).ToArray();

        receiver.TryOpen(packets[150], out _, out _).Should().BeTrue();
        foreach (int n in new[] { 149, 100, 23, 151, 140 })
            receiver.TryOpen((byte[])packets[n].Clone(), out _, out var error).Should().BeTrue($"packet {n} is within 128 of 151 ({error})");
        receiver.TryOpen(packets[22], out _, out var tooOld).Should().BeFalse();
        tooOld.Should().Be(RelayOpenError.Replayed);
        receiver.TryOpen(packets[140], out _, out var twice).Should().BeFalse();
        twice.Should().Be(RelayOpenError.Replayed);
    }

    [Fact]
    public void Key_rotation_mid_stream_loses_no_packet()
    {
        var (sender, receiver) = Link(epoch: 41);
        var inFlight = new List<byte[]>();
        for (int n = 0; n < 50; n++)
            inFlight.Add(Seal(sender, n));

        // Rotation: every receiver installs the next epoch first, then senders switch to it.
        receiver.InstallKey(Keys.DeriveLinkKey(NodeA, NodeB, 42));
        for (int n = 50; n < 60; n++)
            inFlight.Add(Seal(sender, n));
        sender.UseKey(Keys.DeriveLinkKey(NodeA, NodeB, 42));
        for (int n = 60; n < 120; n++)
            inFlight.Add(Seal(sender, n));
        // Interleave old-key and new-key packets as a network might.
        var order = inFlight.Select((p, i) => (p, i)).OrderBy(x => x.i % 7).ThenBy(x => x.i).Select(x => x.p).ToList();
        order = order.Skip(60).Concat(order.Take(60)).ToList();

        int opened = 0;
        foreach (var packet in order)
            if (receiver.TryOpen(packet, out _, out var error))
                opened++;
            else
                error.Should().Be(RelayOpenError.None, "no packet may be lost to the rotation");

        opened.Should().Be(120);
        inFlight[0][3].Should().Be(41);
        inFlight[119][3].Should().Be(42);
    }

    [Fact]
    public void A_key_two_rotations_old_is_refused()
    {
        var (sender, receiver) = Link(epoch: 1);
        var stale = Seal(sender, 1);
        receiver.InstallKey(Keys.DeriveLinkKey(NodeA, NodeB, 2));
        receiver.InstallKey(Keys.DeriveLinkKey(NodeA, NodeB, 3));

        receiver.TryOpen(stale, out _, out var error).Should().BeFalse();

        error.Should().Be(RelayOpenError.UnknownKeyId);
        receiver.AuthenticationAttempts.Should().Be(0);
    }

    [Fact]
    public void An_unknown_sender_is_dropped_before_any_crypto()
    {
        var (sender, receiver) = Link();
        var peers = new RelayPeerTable();
        peers.Replace([KeyValuePair.Create(PeerA, receiver)]);
        var stranger = EndpointKey.From(new IPEndPoint(IPAddress.Parse("10.77.0.99"), 7400));
        var samePortOtherHost = EndpointKey.From(new IPEndPoint(PeerA.Address, 7401));

        peers.TryOpen(stranger, Seal(sender, 1), out _, out var error).Should().BeFalse();
        error.Should().Be(RelayOpenError.UnknownSender);
        peers.TryOpen(samePortOtherHost, Seal(sender, 2), out _, out error).Should().BeFalse();
        error.Should().Be(RelayOpenError.UnknownSender);
        receiver.AuthenticationAttempts.Should().Be(0, "nothing was decrypted for strangers");

        peers.TryOpen(EndpointKey.From(PeerA), Seal(sender, 3), out var packet, out error).Should().BeTrue();
        packet.Payload[1].Should().Be(3);
        receiver.AuthenticationAttempts.Should().Be(1);
    }

    [Fact]
    public void A_forwarding_hop_reseals_with_its_own_link_and_one_hop_less()
    {
        const ulong NodeC = 0xC3;
        var (aToB, bFromA) = Link();
        using var bToC = new RelaySendLink(Keys.DeriveLinkKey(NodeB, NodeC, 1), 5_000);
        using var cFromB = new RelayReceiveLink(Keys.DeriveLinkKey(NodeB, NodeC, 1));
        var datagram = Seal(aToB, 9);

        bFromA.TryOpen(datagram, out _, out _).Should().BeTrue();
        bToC.TryResealForNextHop(datagram).Should().BeTrue();
        cFromB.TryOpen(datagram, out var atC, out var error).Should().BeTrue(error.ToString());

        atC.HopLimit.Should().Be(7);
        atC.Sequence.Should().Be(5_000);
        atC.Source.Should().Be(RelayV2PacketTests.SampleHeader.Source);
        atC.Payload.ToArray().Should().Equal(Payload(9));
        datagram[2] = 0;
        bToC.TryResealForNextHop(datagram).Should().BeFalse("a packet whose hop limit is used up is not forwarded");
    }

    [Fact]
    public void Link_keys_are_hkdf_sha256_of_the_cluster_key_as_documented()
    {
        byte[] clusterKey = "relay-security-test-cluster-key"u8.ToArray();
        byte[] prk = HMACSHA256.HashData("rtc relay v2"u8, clusterKey);
        byte[] info = [.. "rtc relay v2 link"u8, 0, 0, 0, 0, 0, 0, 0, 0xA1, 0, 0, 0, 0, 0, 0, 0, 0xB2, 0, 0, 1, 0x2C];
        byte[] firstBlockInput = [.. info, 1];
        byte[] t1 = HMACSHA256.HashData(prk, firstBlockInput);
        byte[] secondBlockInput = [.. t1, .. info, 2];
        byte[] t2 = HMACSHA256.HashData(prk, secondBlockInput);
        byte[] okm = [.. t1, .. t2];

        var key = Keys.DeriveLinkKey(NodeA, NodeB, 300);

        key.KeyId.Should().Be(300 & 0xFF);
        key.Key.Should().Equal(okm[..16]);
        key.Salt.Should().Equal(okm[16..28]);
        Keys.DeriveLinkKey(NodeB, NodeA, 300).Key.Should().NotEqual(key.Key, "each direction has its own key");
    }

    [Fact]
    public void Seal_open_and_forward_allocate_nothing_per_packet()
    {
        var (sender, receiver) = Link();
        using var forwarder = new RelaySendLink(Keys.DeriveLinkKey(NodeB, 0xC3, 1), 1);
        var peers = new RelayPeerTable();
        peers.Replace([KeyValuePair.Create(PeerA, receiver)]);
        var from = EndpointKey.From(PeerA);
        var buffer = new byte[1400];
        var payload = new byte[1200];
        var header = RelayV2PacketTests.SampleHeader;

        long bytes = SteadyStateAllocations.Measure(() =>
        {
            sender.TrySeal(buffer, header, payload, out int written);
            peers.TryOpen(from, buffer.AsSpan(0, written), out _, out var error);
            if (error != RelayOpenError.None)
                throw new InvalidOperationException(error.ToString());
            forwarder.TryResealForNextHop(buffer.AsSpan(0, written));
        });

        bytes.Should().Be(0);
    }

    [Fact]
    public void Sending_loops_sharing_a_link_sequence_never_reuse_a_nonce()
    {
        var sequence = new RelayLinkSequence(1);
        var key = Keys.DeriveLinkKey(NodeA, NodeB, 1);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<ulong, byte>();
        var loops = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            using var link = new RelaySendLink(key, sequence);
            var buffer = new byte[200];
            for (int n = 0; n < 5000; n++)
            {
                link.TrySeal(buffer, RelayV2PacketTests.SampleHeader, Payload(n), out _);
                ulong used = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(8));
                seen.TryAdd(used, 0).Should().BeTrue("sequence {0} was used twice", used);
            }
        })).ToList();
        loops.ForEach(t => t.Start());
        loops.ForEach(t => t.Join());

        seen.Should().HaveCount(15_000);
        sequence.Peek.Should().Be(15_001);
        using var refused = new RelaySendLink(key, sequence);
        refused.TrySeal(new byte[10], RelayV2PacketTests.SampleHeader, Payload(0), out _).Should().BeFalse();
        sequence.Peek.Should().Be(15_001, "a refused write takes no sequence number");
    }
}
