using MediaPlane.Stun;

namespace MediaPlane.Fuzz.Targets;

/// <summary>STUN: parse, every accessor, integrity and fingerprint checks, and a re-parse of the message.</summary>
public sealed class StunFuzzTarget : IFuzzTarget
{
    private static readonly byte[] Key = "fuzz-password"u8.ToArray();

    public string Name => "stun";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!StunMessageReader.TryParse(input, out var reader, out var error))
        {
            FuzzCheck.That(error != StunParseError.None, "failure carries a reason");
            return;
        }
        FuzzCheck.That(error == StunParseError.None, "success has no error");
        var message = reader.Message;
        FuzzCheck.That(FuzzCheck.Within(input, message) && message.Length >= StunConstants.HeaderLength && message.Length % 4 == 0,
            "message inside the input, header-sized, word-aligned");
        _ = reader.Class;
        _ = reader.Method;
        _ = reader.TransactionId;
        _ = reader.IsBindingRequest;
        _ = reader.UseCandidate;
        if (reader.TryGetUsername(out var username))
        {
            FuzzCheck.That(FuzzCheck.Within(message, username), "username inside the message");
            StunUsername.TrySplit(username, out var local, out var remote);
            FuzzCheck.That(FuzzCheck.Within(username, local) && FuzzCheck.Within(username, remote), "ufrags inside username");
        }
        reader.TryGetPriority(out _);
        reader.TryGetIceControlling(out _);
        reader.TryGetIceControlled(out _);
        if (reader.TryGetErrorCode(out int code, out var reason))
            FuzzCheck.That(code is >= 300 and <= 699 && FuzzCheck.Within(message, reason), "error code in range, reason inside");
        Span<byte> address = stackalloc byte[16];
        if (reader.TryGetXorMappedAddress(address, out int length, out _))
            FuzzCheck.That(length is 4 or 16, "address is IPv4 or IPv6");
        foreach (ushort type in (ReadOnlySpan<ushort>)[StunAttributeType.Software, StunAttributeType.Realm, StunAttributeType.Nonce, StunAttributeType.Fingerprint])
        {
            if (reader.TryGetAttribute(type, out var value))
                FuzzCheck.That(FuzzCheck.Within(message, value), "attribute inside the message");
        }
        bool integrity = reader.VerifyMessageIntegrity(Key);
        FuzzCheck.That(!integrity || reader.HasMessageIntegrity, "integrity verified only when present");
        reader.VerifyMessageIntegritySha256(Key);
        bool fingerprint = reader.VerifyFingerprint();
        FuzzCheck.That(!fingerprint || reader.HasFingerprint, "fingerprint verified only when present");

        FuzzCheck.That(StunMessageReader.TryParse(message, out var again, out _) && again.Message.Length == message.Length
                       && again.VerifyFingerprint() == fingerprint, "the message alone parses the same");

        if (reader.IsBindingRequest)
        {
            Span<byte> response = stackalloc byte[IceLiteBinding.MaxSuccessResponseLength];
            FuzzCheck.That(IceLiteBinding.TryWriteSuccessResponse(reader, [192, 0, 2, 1], 3478, Key, response, out int written),
                "a success response always fits its maximum size");
            FuzzCheck.That(StunMessageReader.TryParse(response[..written], out var built, out _) && built.VerifyMessageIntegrity(Key)
                           && built.VerifyFingerprint() && built.TransactionId == reader.TransactionId, "our response verifies");
        }
    }
}
