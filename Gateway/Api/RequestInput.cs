using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Grains.Interfaces.Rooms;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gateway.Api;

/// <summary>
/// Reads and checks request input by hand instead of through parameter binding, so every refusal is a
/// problem+json with a useful detail and the order of checks is ours: auth first, then content type
/// (415), size (413), syntax (400).
/// </summary>
public static class RequestInput
{
    /// <summary>Largest JSON body accepted; room metadata (4 KiB) fits many times over.</summary>
    public const int MaxJsonBodyBytes = 64 * 1024;

    public const int DefaultPageLimit = 100;
    public const int MaxPageLimit = 1000;

    /// <summary>
    /// Reads a JSON body. An empty body (no Content-Length or 0, no content type) yields
    /// <paramref name="whenEmpty"/>, so endpoints whose fields are all optional work without one.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo, T whenEmpty) where T : class
    {
        var request = http.Request;
        bool hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody && string.IsNullOrEmpty(request.ContentType))
            return whenEmpty;
        if (!IsJson(request.ContentType))
            throw ApiProblem.UnsupportedMediaType("The request body must be application/json.");
        if (request.ContentLength > MaxJsonBodyBytes)
            throw ApiProblem.TooLarge($"The request body must not exceed {MaxJsonBodyBytes} bytes.");
        // Also let the server stop a chunked body early; it is read-only once reading has started.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxJsonBodyBytes;

        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxJsonBodyBytes + 1);
        try
        {
            int length = 0;
            while (true)
            {
                int read = await request.Body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), http.RequestAborted);
                if (read == 0)
                    break;
                length += read;
                if (length > MaxJsonBodyBytes)
                    throw ApiProblem.TooLarge($"The request body must not exceed {MaxJsonBodyBytes} bytes.");
            }
            if (length == 0)
                return whenEmpty;
            try
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo)
                    ?? throw ApiProblem.BadRequest("The request body must be a JSON object.");
            }
            catch (JsonException e)
            {
                // JsonException's message names the path and position only, never server internals.
                throw ApiProblem.BadRequest($"Malformed JSON: {e.Message}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
            return false;
        var type = media.MediaType;
        // application/json, or a structured suffix such as application/merge-patch+json.
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Checks a room id, identity or stream id from the path or the body.</summary>
    public static string RequireId(string? value, string what)
    {
        if (!RoomIds.IsValid(value))
            throw ApiProblem.BadRequest($"Invalid {what}: 1-{RoomIds.MaxLength} characters of A-Z, a-z, 0-9, '.', '_', '-'.");
        return value!;
    }

    public static int Limit(string? value)
    {
        if (value is null)
            return DefaultPageLimit;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) || limit < 1 || limit > MaxPageLimit)
            throw ApiProblem.BadRequest($"limit must be an integer from 1 to {MaxPageLimit}.");
        return limit;
    }

    public static long AfterSequence(string? value)
    {
        if (value is null)
            return 0;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long after))
            throw ApiProblem.BadRequest("after must be a non-negative integer (an event sequence number).");
        return after;
    }

    public static bool Flag(string? value, string name)
    {
        if (value is null)
            return false;
        if (!bool.TryParse(value, out bool flag))
            throw ApiProblem.BadRequest($"{name} must be true or false.");
        return flag;
    }

    // ISO 8601 / RFC 3339 date-times only; no zone means UTC. Culture-dependent forms are refused.
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    public static DateTimeOffset? Timestamp(string? value, string name)
    {
        if (value is null)
            return null;
        if (!DateTimeOffset.TryParseExact(value, TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            throw ApiProblem.BadRequest($"{name} must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z.");
        return at;
    }
}
