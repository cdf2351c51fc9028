namespace MediaPlane.Routing;

/// <summary>
/// One simulcast layer's received bitrate and last arrival, measured over windows of at least
/// <see cref="WindowMillis"/>. Written by the track's owner loop for every packet of the layer; read there
/// (switching, bandwidth estimation) or by the control plane (a torn read costs one stale sample).
/// </summary>
internal struct LayerActivity
{
    public const long WindowMillis = 500;

    private long _windowStartTicks;
    private long _windowOctets;
    private bool _seen;

    public long BitsPerSecond;
    public long LastPacketTicks;

    public readonly bool Seen => _seen;

    public void OnPacket(int octets, long nowTicks)
    {
        if (!_seen)
        {
            _seen = true;
            _windowStartTicks = nowTicks;
        }
        _windowOctets += octets;
        LastPacketTicks = nowTicks;
        long elapsed = nowTicks - _windowStartTicks;
        if (elapsed >= WindowMillis)
        {
            BitsPerSecond = _windowOctets * 8000 / elapsed;
            _windowOctets = 0;
            _windowStartTicks = nowTicks;
        }
    }
}
