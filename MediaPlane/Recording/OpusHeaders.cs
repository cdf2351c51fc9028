using System.Buffers.Binary;

namespace MediaPlane.Recording;

/// <summary>Opus decoder headers for containers; pre-skip is 0 because RTP does not carry the sender's.</summary>
public static class OpusHeaders
{
    public const int OpusHeadLength = 19;
    public const int DopsLength = 11;

    /// <summary>
    /// RFC 7845 §5.1 identification header (little endian): "OpusHead", version 1, channel count, pre-skip,
    /// input sample rate, output gain, channel mapping family 0 (mono/stereo).
    /// </summary>
    public static void WriteOpusHead(Span<byte> destination, int channels, int sampleRate)
    {
        "OpusHead"u8.CopyTo(destination);
        destination[8] = 1;
        destination[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)sampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(destination[16..], 0);
        destination[18] = 0;
    }

    /// <summary>
    /// Opus in ISO BMFF §4.3.2 OpusSpecificBox payload (big endian): Version 0, OutputChannelCount, PreSkip,
    /// InputSampleRate, OutputGain, ChannelMappingFamily 0.
    /// </summary>
    public static void WriteDops(Span<byte> destination, int channels, int sampleRate)
    {
        destination[0] = 0;
        destination[1] = (byte)channels;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)sampleRate);
        BinaryPrimitives.WriteInt16BigEndian(destination[8..], 0);
        destination[10] = 0;
    }
}
