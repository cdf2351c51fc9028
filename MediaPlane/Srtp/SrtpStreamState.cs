namespace MediaPlane.Srtp;

/// <summary>
/// What one session remembers per SSRC: the rollover counter and highest sequence number s_l for the
/// RTP index (RFC 3711 §3.3.1), the replay windows for SRTP and SRTCP (§3.3.2), and the next SRTCP index
/// to send (§3.4). Allocated once when an SSRC is first seen, never per packet.
/// </summary>
internal sealed class SrtpStreamState
{
    public uint Roc;
    public ushort HighestSeq;
    public bool HasSeq;
    public SrtpReplayWindow RtpWindow;
    public SrtpReplayWindow RtcpWindow;
    public uint NextRtcpIndex;

    /// <summary>
    /// Appendix A: the ROC guess v for sequence number <paramref name="seq"/>, relative to ROC and s_l.
    /// Returns the 48-bit index v * 2^16 + SEQ, or -1 when v would be ROC - 1 with ROC = 0 (a packet
    /// from before the stream began).
    /// </summary>
    public long EstimateIndex(ushort seq, out uint v)
    {
        v = Roc;
        if (!HasSeq)
            return seq;
        int sl = HighestSeq;
        if (sl < 32768)
        {
            if (seq - sl > 32768)
            {
                if (Roc == 0)
                    return -1;
                v = Roc - 1;
            }
        }
        else if (sl - 32768 > seq)
        {
            v = Roc + 1;
        }
        return ((long)v << 16) | seq;
    }

    /// <summary>§3.3.1: after a packet is accepted, update ROC and s_l from the guess used for it.</summary>
    public void Update(ushort seq, uint v)
    {
        if (!HasSeq)
        {
            HasSeq = true;
            HighestSeq = seq;
            Roc = v;
            return;
        }
        if (v == Roc + 1)
        {
            Roc = v;
            HighestSeq = seq;
        }
        else if (v == Roc && seq > HighestSeq)
        {
            HighestSeq = seq;
        }
    }
}
