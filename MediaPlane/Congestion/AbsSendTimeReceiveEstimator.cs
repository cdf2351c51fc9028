using MediaPlane.Rtp;

namespace MediaPlane.Congestion;

/// <summary>
/// Receive-side estimate of a publisher's uplink from abs-send-time, for REMB where transport-cc was not
/// negotiated (draft-alvestrand-rmcat-remb-03 carries it). The same delay-based estimator as the send side,
/// with the sender's abs-send-time (unwrapped across its 64 s wrap) as the send time of each packet.
/// Owner: the loop thread receiving the publisher's packets; no allocation after construction.
/// </summary>
public sealed class AbsSendTimeReceiveEstimator
{
    private const int FractionBits = 18;
    private readonly DelayBasedEstimator _delay;
    private readonly long _roundTripMicros;
    private bool _started;
    private uint _lastSendTime24;
    private long _sendTicks; // unwrapped, 1/2^18 s

    public AbsSendTimeReceiveEstimator(BandwidthEstimatorOptions? options = null)
    {
        var settings = options ?? new BandwidthEstimatorOptions();
        _delay = new DelayBasedEstimator(settings.InitialBitsPerSecond, settings.MinBitsPerSecond, settings.MaxBitsPerSecond);
        _roundTripMicros = settings.InitialRoundTripMicros;
    }

    public long BitsPerSecond => _delay.BitsPerSecond;

    /// <summary>Bit rate the publisher's packets arrive at.</summary>
    public long IncomingBitsPerSecond => _delay.AckedBitsPerSecond;

    public BandwidthUsage Usage => _delay.Usage;

    /// <summary>One packet: its abs-send-time value (see <see cref="AbsSendTimeExtension"/>), arrival µs and size.</summary>
    public void OnPacket(uint sendTime24, long arrivalMicros, int sizeBytes)
    {
        sendTime24 &= 0xFFFFFF;
        if (!_started)
        {
            _started = true;
            _sendTicks = sendTime24;
        }
        else
        {
            // Signed 24-bit difference: a reordered packet steps back, a wrap steps forward.
            int difference = (int)((sendTime24 - _lastSendTime24) << 8) >> 8;
            _sendTicks += difference;
        }
        _lastSendTime24 = sendTime24;
        _delay.OnPacket((_sendTicks * 1_000_000) >> FractionBits, arrivalMicros, sizeBytes);
    }

    /// <summary>Runs the rate controller; call on the REMB timer (every 100 ms or so).</summary>
    public long Update(long nowMicros) => _delay.Update(_roundTripMicros, nowMicros);
}
