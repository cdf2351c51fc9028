using MediaPlane.Rtp;

namespace MediaPlane.Routing.Speakers;

/// <summary>
/// The smoothed loudness of one audio producer, from the RFC 6464 level its publisher puts in every packet
/// (client-to-mixer, <see cref="AudioLevelExtension"/>): each packet's level moves the average 1/8 of the way
/// (about 160 ms at Opus' 20 ms packets), so one loud syllable or click does not make a speaker. A stream that
/// carried no level for <see cref="SilenceAfterMs"/> (muted, DTX, gone) reads as silence. Written by the
/// producer's receive loop only, with plain fixed-point arithmetic (nothing allocated); read by the control
/// plane's sampling from any thread (a stale read is one sample late).
/// </summary>
public sealed class AudioLevelMeter(int extensionId)
{
    /// <summary>No level for this long: the stream reads as silence.</summary>
    public const long SilenceAfterMs = 500;
    /// <summary>RFC 6464 §3: 127 is -127 dBov, the quietest level (digital silence).</summary>
    public const int SilenceDbov = -127;
    private const int SmoothingShift = 3; // 1/8 per packet
    private const int FractionBits = 8;

    private long _loudness; // 127 + dBov, in 1/256 units: 0 silence, 127 << 8 the loudest
    private long _lastLevelTicks = long.MinValue / 2;

    public int ExtensionId => extensionId;

    /// <summary>On the producer's loop, for each packet.</summary>
    public void OnPacket(in RtpPacketReader packet, long nowTicks)
    {
        if (AudioLevelExtension.TryRead(packet, extensionId, out _, out byte levelMinusDbov))
            OnLevel(levelMinusDbov, nowTicks);
    }

    /// <summary>One packet's level (0 loudest .. 127 silence, in -dBov).</summary>
    public void OnLevel(byte levelMinusDbov, long nowTicks)
    {
        long target = (long)(127 - Math.Min(levelMinusDbov, (byte)127)) << FractionBits;
        long current = nowTicks - _lastLevelTicks > SilenceAfterMs ? 0 : _loudness;
        Volatile.Write(ref _loudness, current + ((target - current) >> SmoothingShift));
        Volatile.Write(ref _lastLevelTicks, nowTicks);
    }

    /// <summary>From any thread: the smoothed level in dBov, <see cref="SilenceDbov"/> (-127) to 0 (the loudest).</summary>
    public int LevelDbov(long nowTicks) =>
        nowTicks - Volatile.Read(ref _lastLevelTicks) > SilenceAfterMs
            ? SilenceDbov
            : (int)((Volatile.Read(ref _loudness) + (1 << (FractionBits - 1))) >> FractionBits) - 127; // rounded
}
