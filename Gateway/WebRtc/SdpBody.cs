using System.Text;
using Gateway.Api;
using Gateway.Sdp;

namespace Gateway.WebRtc;

/// <summary>Reads an SDP offer or fragment body: the right media type (415) and a bounded size (413).</summary>
internal static class SdpBody
{
    public const string SdpMediaType = "application/sdp";
    public const string TrickleIceMediaType = "application/trickle-ice-sdpfrag";

    public static async Task<string> ReadAsync(HttpRequest request, string mediaType)
    {
        var contentType = request.ContentType;
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            throw ApiProblem.UnsupportedMediaType($"Content-Type must be {mediaType}.");
        if (request.ContentLength > SdpLimits.Default.MaxBytes)
            throw ApiProblem.TooLarge($"SDP bodies are limited to {SdpLimits.Default.MaxBytes} bytes.");
        var buffer = new byte[SdpLimits.Default.MaxBytes + 1];
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await request.Body.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted);
            if (read == 0)
                break;
            total += read;
        }
        if (total > SdpLimits.Default.MaxBytes)
            throw ApiProblem.TooLarge($"SDP bodies are limited to {SdpLimits.Default.MaxBytes} bytes.");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, total);
        }
        catch (DecoderFallbackException)
        {
            throw ApiProblem.BadRequest("SDP must be UTF-8 text.");
        }
    }
}
