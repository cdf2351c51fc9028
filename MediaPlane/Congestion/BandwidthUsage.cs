namespace MediaPlane.Congestion;

/// <summary>The delay-based detector's verdict on the path (draft-ietf-rmcat-gcc-02 §5.4).</summary>
public enum BandwidthUsage : byte
{
    Normal = 0,
    Underusing,
    Overusing,
}
