using System.Buffers.Binary;

namespace MediaPlane.Rtp;

/// <summary>
/// RTP header extension elements (RFC 8285). One-byte form (§4.2), profile 0xBEDE:
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |       0xBE    |    0xDE       |           length              |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |  ID   | L=0   |     data      |  ID   |  L=1  |   data...
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// ID 1-14, data length L+1; a zero byte is padding; ID 15 stops processing.
/// Two-byte form (§4.3), profile 0x100 followed by 4 "appbits":
/// <code>
///  |         0x100         |appbits|           length              |
///  |      ID       |     length    |     data ...
/// </code>
/// ID 1-255, length 0-255; a zero byte is padding.
/// </summary>
public static class RtpHeaderExtension
{
    public const ushort OneByteProfile = 0xBEDE;
    public const ushort TwoByteProfileMask = 0xFFF0;
    public const ushort TwoByteProfile = 0x1000;

    public static bool IsOneByte(ushort profile) => profile == OneByteProfile;

    public static bool IsTwoByte(ushort profile) => (profile & TwoByteProfileMask) == TwoByteProfile;

    /// <summary>
    /// Finds element <paramref name="id"/> in the extension data (the words after the 4-byte
    /// extension header). Offset is relative to <paramref name="data"/>. False if absent, if the
    /// profile is not RFC 8285, or if the elements are malformed before it is found.
    /// </summary>
    public static bool TryFind(ushort profile, ReadOnlySpan<byte> data, int id, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        bool oneByte = IsOneByte(profile);
        if (!oneByte && !IsTwoByte(profile))
            return false;
        if (id <= 0 || id > (oneByte ? 14 : 255))
            return false;
        int i = 0;
        while (i < data.Length)
        {
            byte first = data[i];
            if (first == 0)
            {
                i++;
                continue;
            }
            int elementId, elementLength, header;
            if (oneByte)
            {
                elementId = first >> 4;
                if (elementId == 15)
                    return false;
                elementLength = (first & 0x0F) + 1;
                header = 1;
            }
            else
            {
                if (i + 1 >= data.Length)
                    return false;
                elementId = first;
                elementLength = data[i + 1];
                header = 2;
            }
            if (elementLength > data.Length - i - header)
                return false;
            if (elementId == id)
            {
                offset = i + header;
                length = elementLength;
                return true;
            }
            i += header + elementLength;
        }
        return false;
    }

    internal static ushort ReadProfile(ReadOnlySpan<byte> extensionHeader) => BinaryPrimitives.ReadUInt16BigEndian(extensionHeader);
}
