using MediaPlane.Routing.Egress;
using MediaPlane.Rtp;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// A publisher's packet (hostile) rewritten for a subscriber (<see cref="EgressHeaderExtensions"/>): once in the
/// one-byte form and once with an id that forces the two-byte form. The block must fit its maximum, be whole 32-bit
/// words, and parse back behind a fixed header with the subscriber's mid and a zeroed sequence number slot.
/// </summary>
public sealed class EgressExtensionsTarget : IFuzzTarget
{
    private static readonly HeaderExtensionIds Publisher = HeaderExtensionIds.From(
    [
        new(HeaderExtensionIds.AudioLevelUri, 1),
        new(HeaderExtensionIds.VideoOrientationUri, 2),
        new(HeaderExtensionIds.PlayoutDelayUri, 3),
        new(HeaderExtensionIds.DependencyDescriptorUri, 4),
    ]);

    private static readonly HeaderExtensionIds OneByteSubscriber = Subscriber(sequenceId: 5);
    private static readonly HeaderExtensionIds TwoByteSubscriber = Subscriber(sequenceId: 200);

    private readonly byte[] _packet = new byte[12 + EgressHeaderExtensions.MaxLength];

    public string Name => "egress-extensions";

    private static HeaderExtensionIds Subscriber(int sequenceId) => HeaderExtensionIds.From(
    [
        new(HeaderExtensionIds.MidUri, 9),
        new(HeaderExtensionIds.AbsSendTimeUri, 10),
        new(HeaderExtensionIds.TransportSequenceNumberUri, sequenceId),
        new(HeaderExtensionIds.AudioLevelUri, 11),
        new(HeaderExtensionIds.VideoOrientationUri, 12),
        new(HeaderExtensionIds.PlayoutDelayUri, 13),
        new(HeaderExtensionIds.DependencyDescriptorUri, 14),
    ]);

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!RtpPacketReader.TryParse(input, out var source, out _))
            return;
        Check(source, OneByteSubscriber, 5);
        Check(source, TwoByteSubscriber, 200);
    }

    private void Check(in RtpPacketReader source, HeaderExtensionIds subscriber, int sequenceId)
    {
        var block = _packet.AsSpan(12);
        int length = EgressHeaderExtensions.Write(block, source, Publisher, subscriber, "m1"u8, 0x123456, out int sequenceOffset);
        FuzzCheck.That(length > 0 && length % 4 == 0 && length <= EgressHeaderExtensions.MaxLength, "a whole block within its maximum");
        _packet[0] = 0x90;
        FuzzCheck.That(RtpPacketReader.TryParse(_packet.AsSpan(0, 12 + length), out var rewritten, out _), "the rewritten header parses");
        FuzzCheck.That(rewritten.TryFindExtension(9, out ReadOnlySpan<byte> mid) && mid.SequenceEqual("m1"u8), "the subscriber's mid");
        FuzzCheck.That(rewritten.TryFindExtension(sequenceId, out int offset, out int slot) && slot == 2 && offset == 12 + sequenceOffset
                       && rewritten.Packet.Slice(offset, 2).SequenceEqual((ReadOnlySpan<byte>)[0, 0]), "the sequence number slot");
    }
}
