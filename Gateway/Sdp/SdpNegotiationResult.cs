using System.Diagnostics.CodeAnalysis;

namespace Gateway.Sdp;

/// <summary>Either a <see cref="NegotiatedSession"/> or an <see cref="SdpNegotiationError"/>.</summary>
public sealed class SdpNegotiationResult
{
    private SdpNegotiationResult(NegotiatedSession? session, SdpNegotiationError? error)
    {
        Session = session;
        Error = error;
    }

    public NegotiatedSession? Session { get; }

    public SdpNegotiationError? Error { get; }

    [MemberNotNullWhen(true, nameof(Session))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Session is not null;

    internal static SdpNegotiationResult Ok(NegotiatedSession session) => new(session, null);

    internal static SdpNegotiationResult Fail(SdpNegotiationError error) => new(null, error);
}
