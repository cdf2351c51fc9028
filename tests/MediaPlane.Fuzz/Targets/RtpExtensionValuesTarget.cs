using MediaPlane.Rtp;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// Header extension values (transport-wide sequence number, abs-send-time, audio level) read from every
/// element id of a parsed RTP packet; a value read must write back to the same bytes.
/// </summary>
public sealed class RtpExtensionValuesTarget : IFuzzTarget
{
    public string Name => "rtp-extensions";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!RtpPacketReader.TryParse(input, out var packet, out _))
            return;
        Span<byte> rebuilt = stackalloc byte[3];
        for (int id = 1; id <= 255; id++)
        {
            if (!packet.TryFindExtension(id, out ReadOnlySpan<byte> value))
            {
                FuzzCheck.That(!TransportSequenceNumberExtension.TryRead(packet, id, out _), "absent element reads nothing");
                continue;
            }
            if (TransportSequenceNumberExtension.TryRead(packet, id, out ushort sequence))
                FuzzCheck.That(TransportSequenceNumberExtension.TryWrite(rebuilt, sequence) && rebuilt[..2].SequenceEqual(value[..2]),
                    "sequence number round-trips");
            else
                FuzzCheck.That(value.Length < 2, "only short elements refuse a sequence number");
            if (AbsSendTimeExtension.TryRead(packet, id, out uint sendTime))
                FuzzCheck.That(sendTime <= 0xFFFFFF && AbsSendTimeExtension.ToMicros(sendTime) < AbsSendTimeExtension.WrapMicros
                               && AbsSendTimeExtension.TryWrite(rebuilt, sendTime) && rebuilt.SequenceEqual(value), "abs-send-time round-trips");
            if (AudioLevelExtension.TryRead(packet, id, out bool voice, out byte level))
                FuzzCheck.That(level <= 127 && AudioLevelExtension.TryWrite(rebuilt, voice, level) && rebuilt[0] == value[0],
                    "audio level round-trips");
        }
    }
}
