namespace MediaPlane.Srtp;

/// <summary>
/// Sliding replay window over packet indices (RFC 3711 §3.3.2): 128 packets, larger than the
/// SHOULD-minimum of 64. <see cref="Check"/> runs before authentication and changes nothing;
/// <see cref="Accept"/> runs only after the packet authenticated.
/// Bit i of the mask is set when index (Highest - i) was received.
/// </summary>
internal struct SrtpReplayWindow
{
    public const int Size = 128;

    private UInt128 _mask;
    private ulong _highest;
    private bool _started;

    public readonly ulong Highest => _highest;

    public readonly bool Check(ulong index)
    {
        if (!_started || index > _highest)
            return true;
        ulong delta = _highest - index;
        if (delta >= Size)
            return false;
        return ((_mask >> (int)delta) & UInt128.One) == UInt128.Zero;
    }

    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _mask = UInt128.One;
            return;
        }
        if (index > _highest)
        {
            ulong shift = index - _highest;
            _mask = shift >= Size ? UInt128.One : (_mask << (int)shift) | UInt128.One;
            _highest = index;
            return;
        }
        ulong delta = _highest - index;
        if (delta < Size)
            _mask |= UInt128.One << (int)delta;
    }
}
