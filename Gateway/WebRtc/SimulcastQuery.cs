using Gateway.Api;

namespace Gateway.WebRtc;

/// <summary>
/// The <c>rid</c> query parameter of a WHEP POST (and of <c>POST /whep/{room}/{session}/layer</c>): which simulcast
/// layer a subscriber wants, by RID (RFC 8851 §10: alphanumerics, '-' and '_'); absent means the highest layer.
/// A RID a stream does not have leaves that stream on its highest layer.
/// </summary>
public static class SimulcastQuery
{
    public const int MaxRidLength = 32;

    public static string? Rid(HttpContext http)
    {
        var values = http.Request.Query["rid"];
        if (values.Count == 0)
            return null;
        string rid = values.ToString();
        if (values.Count > 1 || rid.Length is 0 or > MaxRidLength || !rid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw ApiProblem.BadRequest($"rid must be one RID of 1-{MaxRidLength} characters of A-Z, a-z, 0-9, '-', '_'.");
        return rid;
    }
}
