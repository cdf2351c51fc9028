using System.Text.Json;
using Grains.Interfaces.Rooms;

namespace Gateway.Api;

/// <summary>
/// A refused request, thrown by endpoint code and turned into an RFC 9457 problem by
/// <see cref="ApiErrorFilter"/>. Throwing keeps handlers linear: validate, call the grain, map.
/// </summary>
public sealed class ApiProblem(int status, string detail, string? code = null) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>Machine-readable reason (the grain's error code, camelCase), returned as the problem's "code".</summary>
    public string? Code { get; } = code;

    public static ApiProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);
    public static ApiProblem Unauthorized(string detail) => new(StatusCodes.Status401Unauthorized, detail);
    public static ApiProblem Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);
    public static ApiProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);
    public static ApiProblem Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);
    public static ApiProblem TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, detail);
    public static ApiProblem UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, detail);

    /// <summary>Maps a grain's refusal to its HTTP status; the grain's message is meant for clients.</summary>
    public static ApiProblem From(RoomException e) => new(e.Code switch
    {
        RoomErrorCode.NotFound => StatusCodes.Status404NotFound,
        RoomErrorCode.Closed or RoomErrorCode.LimitReached or RoomErrorCode.Conflict => StatusCodes.Status409Conflict,
        RoomErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        RoomErrorCode.Invalid => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    }, e.Message, JsonNamingPolicy.CamelCase.ConvertName(e.Code.ToString()));
}

/// <summary>Builds problem+json responses with a stable type URI and title per status.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IResult Create(int status, string detail, string? errorCode = null)
    {
        var (title, type) = Describe(status);
        var extensions = errorCode is null ? null : new Dictionary<string, object?> { ["code"] = errorCode };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);
    }

    // Types point at the RFC 9110 section defining each status, as ASP.NET Core's defaults do.
    private static (string Title, string Type) Describe(int status) => status switch
    {
        400 => ("Bad Request", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1"),
        401 => ("Unauthorized", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2"),
        403 => ("Forbidden", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4"),
        404 => ("Not Found", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"),
        409 => ("Conflict", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"),
        413 => ("Content Too Large", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14"),
        415 => ("Unsupported Media Type", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16"),
        429 => ("Too Many Requests", "https://www.rfc-editor.org/rfc/rfc6585#section-4"),
        503 => ("Service Unavailable", "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4"),
        _ => ("Internal Server Error", "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1"),
    };
}
