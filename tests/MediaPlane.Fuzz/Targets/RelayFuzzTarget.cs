using MediaPlane.Relay;

namespace MediaPlane.Fuzz.Targets;

/// <summary>Relay packets: parse, slices inside the input, tag check, and a rebuild that parses the same.</summary>
public sealed class RelayFuzzTarget : IFuzzTarget
{
    private static readonly RelayAuthenticator Authenticator = new("fuzz-relay-cluster-key"u8);

    public string Name => "relay";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!RelayPacketReader.TryParse(input, out var packet, out var error))
        {
            FuzzCheck.That(error != RelayParseError.None, "failure carries a reason");
            return;
        }
        FuzzCheck.That(error == RelayParseError.None, "success has no error");
        FuzzCheck.That(FuzzCheck.Within(input, packet.Payload) && FuzzCheck.Within(input, packet.Tag)
                       && packet.Tag.Length == RelayAuthenticator.TagLength
                       && packet.Authenticated.Length + packet.Tag.Length == input.Length, "slices inside the input");
        bool verified = Authenticator.Verify(packet);

        Span<byte> rebuilt = stackalloc byte[input.Length];
        FuzzCheck.That(RelayPacketWriter.TryWrite(rebuilt, packet.Header, packet.Payload, Authenticator, out int written)
                       && written == input.Length, "a parsed packet can be written again at the same size");
        FuzzCheck.That(RelayPacketReader.TryParse(rebuilt, out var again, out _) && again.Header == packet.Header
                       && again.Payload.SequenceEqual(packet.Payload) && Authenticator.Verify(again), "the rebuilt packet parses the same and verifies");
        FuzzCheck.That(verified == again.Tag.SequenceEqual(packet.Tag), "the input verifies exactly when its tag is the one we write");
    }
}
