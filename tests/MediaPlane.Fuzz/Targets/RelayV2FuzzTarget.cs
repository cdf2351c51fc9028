using MediaPlane.Relay.Protocol;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// Relay v2: parse, then the receive path (key id, replay window, AES-GCM open) on a fresh link that knows
/// the fuzz keys of epochs 6 and 7. Invariants: slices inside the input, the header rewrites to the same
/// bytes, and whatever opens is exactly what our sender seals for that plaintext (nothing forged opens),
/// and opening it again is a replay.
/// </summary>
public sealed class RelayV2FuzzTarget : IFuzzTarget
{
    private const ulong Sender = 1, Receiver = 2;
    private static readonly RelayKeyDerivation Keys = new("fuzz-relay-v2-cluster-key-000000"u8);
    private static readonly RelayLinkKey Previous = Keys.DeriveLinkKey(Sender, Receiver, 6);
    private static readonly RelayLinkKey Current = Keys.DeriveLinkKey(Sender, Receiver, 7);

    public string Name => "relay-v2";

    public void Run(ReadOnlySpan<byte> input)
    {
        bool parsed = RelayV2Packet.TryParse(input, out var packet, out var parseError);
        FuzzCheck.That(parsed == (parseError == RelayV2ParseError.None), "failure carries a reason, success none");
        Span<ulong> destinations = stackalloc ulong[RelayV2Packet.MaxDestinations];
        if (parsed)
        {
            FuzzCheck.That(FuzzCheck.Within(input, packet.Header) && FuzzCheck.Within(input, packet.Payload) && FuzzCheck.Within(input, packet.Tag)
                           && packet.Header.Length + packet.Payload.Length + packet.Tag.Length == input.Length, "slices inside the input");
            for (int i = 0; i < packet.DestinationCount; i++)
                destinations[i] = packet.DestinationAt(i);
            Span<byte> rewritten = stackalloc byte[input.Length];
            FuzzCheck.That(RelayV2Writer.TryWrite(rewritten, packet.ToHeader(), packet.KeyId, packet.Sequence,
                               destinations[1..packet.DestinationCount], packet.Payload, out int written)
                           && written == input.Length && rewritten[..packet.HeaderLength].SequenceEqual(packet.Header),
                "a parsed header is written again byte for byte");
        }

        var datagram = input.ToArray();
        using var receiver = new RelayReceiveLink(Previous);
        receiver.InstallKey(Current);
        bool opened = receiver.TryOpen(datagram, out var plain, out var openError);
        FuzzCheck.That(opened == (openError == RelayOpenError.None), "open failure carries a reason, success none");
        FuzzCheck.That(parsed || openError == RelayOpenError.Malformed, "what does not parse does not open");
        if (!opened)
            return;

        using var sender = new RelaySendLink(plain.KeyId == Current.KeyId ? Current : Previous, plain.Sequence);
        var resealed = new byte[datagram.Length];
        FuzzCheck.That(sender.TrySeal(resealed, plain.ToHeader(), destinations[1..plain.DestinationCount], plain.Payload, out int length)
                       && resealed.AsSpan(0, length).SequenceEqual(input), "only what our sender sealed opens");
        FuzzCheck.That(!receiver.TryOpen(input.ToArray(), out _, out var again) && again == RelayOpenError.Replayed, "a second copy is a replay");
    }

    /// <summary>Valid packets for the corpus and the random-input test: sealed under both known keys.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Seeds()
    {
        var header = new RelayV2Header(RelayV2PacketType.Media, RelayV2Header.DefaultHopLimit, 0x01020304,
            Room: 0x1111, Stream: 0x2222, Source: Sender, Destination: Receiver);
        byte[] rtp = [0x80, 0x60, 0x00, 0x01, 0, 0, 0, 0x10, 0xCA, 0xFE, 0xBA, 0xBE, 1, 2, 3, 4, 5, 6, 7, 8];
        using var current = new RelaySendLink(Current, 1_000);
        using var previous = new RelaySendLink(Previous, 2_000);
        return
        [
            ("media", Seal(current, header, [], rtp)),
            ("media-previous-key", Seal(previous, header, [], rtp)),
            ("probe-empty", Seal(current, header with { Type = RelayV2PacketType.Probe }, [], [])),
            ("nack-three-destinations", Seal(current, header with { Type = RelayV2PacketType.Nack, HopLimit = 1 }, [3, 4], [0, 0, 0, 0, 0, 0, 3, 0xE8])),
            ("fec-route-id", Seal(current, header with { Type = RelayV2PacketType.Fec, Destination = 0x0123456789ABCDEF, IsRouteId = true }, [], rtp)),
        ];
    }

    private static byte[] Seal(RelaySendLink link, RelayV2Header header, ulong[] more, byte[] payload)
    {
        var buffer = new byte[RelayV2Writer.HeaderLength(1 + more.Length) + payload.Length + RelayV2Packet.TagLength];
        FuzzCheck.That(link.TrySeal(buffer, header, more, payload, out int written) && written == buffer.Length, "seed seals");
        return buffer;
    }
}
