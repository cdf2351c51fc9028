using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaPlane.Client;
using MediaPlane.Dtls;
using MediaPlane.Ice;
using MediaPlane.WebRtc;

namespace Benchmarks.Control;

/// <summary>
/// A WHEP subscriber timed from the moment its POST leaves: answer received, ICE and DTLS done, first media
/// packet. Done here rather than by WhipWhepClient so that the RTP handler is set before the transport
/// connects and no early packet goes uncounted. The key pair and the offer are made before the clock starts.
/// </summary>
public sealed class TimedWhepSubscriber : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _token;
    private readonly WebRtcClientTransport _transport;
    private readonly Uri? _location;

    private TimedWhepSubscriber(HttpClient http, string token, WebRtcClientTransport transport, Uri? location, IPEndPoint node,
        long posted, long answered, long connected, Task<long> firstPacket)
    {
        _http = http;
        _token = token;
        _transport = transport;
        _location = location;
        Node = node;
        Posted = posted;
        Answered = answered;
        Connected = connected;
        FirstPacket = firstPacket;
    }

    /// <summary>The media address the answer named: which silo serves this subscriber.</summary>
    public IPEndPoint Node { get; }

    /// <summary>Stopwatch timestamps.</summary>
    public long Posted { get; }

    public long Answered { get; }

    public long Connected { get; }

    /// <summary>Completes with the timestamp of the first RTP packet received.</summary>
    public Task<long> FirstPacket { get; }

    public static async Task<TimedWhepSubscriber> JoinAsync(HttpClient http, string room, string token, CancellationToken ct)
    {
        var credentials = IceCredentials.Generate();
        var certificate = DtlsCertificate.Generate();
        var offer = ClientOffer.Write(credentials.Ufrag, credentials.Password, certificate.Fingerprint,
            [new OfferedTrack(MediaKind.Audio, null), new OfferedTrack(MediaKind.Video, null)], publish: false);
        var first = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/whep/{Uri.EscapeDataString(room)}") { Content = new StringContent(offer, Encoding.UTF8, "application/sdp") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        long posted = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        long answered = Stopwatch.GetTimestamp();
        if (!response.IsSuccessStatusCode)
            throw new WhipException((int)response.StatusCode, body);
        if (!ClientAnswer.TryParse(body, out var answer, out var error))
            throw new WhipException((int)response.StatusCode, $"unusable answer: {error}");
        var location = response.Headers.Location is { } l ? new Uri(http.BaseAddress!, l) : null;
        var transport = new WebRtcClientTransport(answer!.Candidate, answer.IceUfrag, answer.IcePassword, answer.Fingerprint, certificate)
        {
            LocalUfrag = credentials.Ufrag,
            OnRtp = _ => first.TrySetResult(Stopwatch.GetTimestamp()),
        };
        try
        {
            await transport.ConnectAsync(ct);
        }
        catch
        {
            transport.Dispose();
            await DeleteAsync(http, location, token);
            throw;
        }
        return new TimedWhepSubscriber(http, token, transport, location, answer.Candidate, posted, answered, Stopwatch.GetTimestamp(), first.Task);
    }

    public async ValueTask DisposeAsync()
    {
        await DeleteAsync(_http, _location, _token);
        _transport.Dispose();
    }

    private static async Task DeleteAsync(HttpClient http, Uri? location, string token)
    {
        if (location is null)
            return;
        using var request = new HttpRequestMessage(HttpMethod.Delete, location);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var _ = await http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The session times out on the server without consent checks.
        }
    }
}
