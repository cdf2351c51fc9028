namespace Gateway.Sdp;

/// <summary>Errors and warnings collected during one parse.</summary>
internal sealed class SdpParseContext(SdpLimits limits)
{
    public readonly List<SdpParseError> Errors = [];
    public readonly List<SdpParseError> Warnings = [];

    public bool TooManyErrors => Errors.Count >= limits.MaxErrors;

    public void Error(int line, string reason)
    {
        if (Errors.Count < limits.MaxErrors)
            Errors.Add(new SdpParseError(line, reason));
    }

    public void Warning(int line, string reason)
    {
        if (Warnings.Count < limits.MaxErrors)
            Warnings.Add(new SdpParseError(line, reason));
    }
}
