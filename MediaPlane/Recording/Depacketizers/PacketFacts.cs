namespace MediaPlane.Recording.Depacketizers;

/// <summary>What a codec's payload descriptor says about one packet, read before its data is taken.</summary>
public struct PacketFacts
{
    /// <summary>The packet begins a new frame (explicit start bit, or for codecs without one: not a continuation).</summary>
    public bool StartsFrame;

    /// <summary>
    /// The packet is certainly the first of a frame even without knowing the packet before it (H.264: it
    /// carries the SPS that opens a keyframe; AV1: N, the first packet of a coded video sequence).
    /// </summary>
    public bool CertainStart;

    /// <summary>The frame this packet starts is a keyframe (only meaningful when <see cref="StartsFrame"/>).</summary>
    public bool Keyframe;

    /// <summary>Bytes of payload descriptor before the codec data.</summary>
    public int DescriptorLength;
}
