using System.Diagnostics.CodeAnalysis;

namespace Gateway.Sdp;

/// <summary>What <see cref="SdpParser"/> returns: the model, or the errors (never both). Warnings are lines
/// that were skipped without making the SDP invalid (e.g. a malformed candidate).</summary>
public sealed class SdpParseResult
{
    private SdpParseResult(SessionDescription? description, IReadOnlyList<SdpParseError> errors, IReadOnlyList<SdpParseError> warnings)
    {
        Description = description;
        Errors = errors;
        Warnings = warnings;
    }

    public SessionDescription? Description { get; }

    public IReadOnlyList<SdpParseError> Errors { get; }

    public IReadOnlyList<SdpParseError> Warnings { get; }

    [MemberNotNullWhen(true, nameof(Description))]
    public bool Success => Description is not null;

    /// <summary>All errors on one line, e.g. <c>line 7: rtpmap clock rate is not a number</c>.</summary>
    public string ErrorMessage => string.Join("; ", Errors);

    internal static SdpParseResult Ok(SessionDescription description, IReadOnlyList<SdpParseError> warnings) =>
        new(description, [], warnings);

    internal static SdpParseResult Fail(IReadOnlyList<SdpParseError> errors, IReadOnlyList<SdpParseError> warnings) =>
        new(null, errors.Count > 0 ? errors : [new SdpParseError(0, "invalid SDP")], warnings);

    internal static SdpParseResult Fail(int line, string reason) => new(null, [new SdpParseError(line, reason)], []);
}
