using System.Net.Http.Headers;
using System.Text;
using MediaPlane.Contracts;
using MediaPlane.Dtls;
using MediaPlane.Ice;

namespace Rtc.TestClient;

/// <summary>
/// Our own WHIP/WHEP client: POSTs an offer, reads the answer, connects a <see cref="WebRtcClientTransport"/>
/// to the node the answer names, and DELETEs the session at the end. Used by tests and the load generator.
/// </summary>
public sealed class WhipWhepClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _token;
    private Uri? _location;

    private WhipWhepClient(HttpClient http, string token, WebRtcClientTransport transport, ClientAnswer answer, Uri? location)
    {
        _http = http;
        _token = token;
        Transport = transport;
        Answer = answer;
        _location = location;
    }

    public WebRtcClientTransport Transport { get; }

    public ClientAnswer Answer { get; }

    public Uri? Location => _location;

    /// <summary>Publishes: one sendonly section per track, with the track's SSRC.</summary>
    public static Task<WhipWhepClient> PublishAsync(HttpClient http, string room, string token, IReadOnlyList<OfferedTrack> tracks, CancellationToken ct = default) =>
        NegotiateAndConnectAsync(http, WhipPath(room), token, tracks, publish: true, ct);

    /// <summary>Subscribes: one recvonly section per wanted track kind, to the room or to one participant.</summary>
    public static Task<WhipWhepClient> SubscribeAsync(HttpClient http, string room, string token, IReadOnlyList<MediaKind> kinds, string? participant = null, CancellationToken ct = default) =>
        NegotiateAndConnectAsync(http, WhepPath(room, participant), token, Recvonly(kinds), publish: false, ct);

    public static string WhipPath(string room) => $"/whip/{Uri.EscapeDataString(room)}";

    public static string WhepPath(string room, string? participant = null) => participant is null
        ? $"/whep/{Uri.EscapeDataString(room)}"
        : $"/whep/{Uri.EscapeDataString(room)}/{Uri.EscapeDataString(participant)}";

    public static IReadOnlyList<OfferedTrack> Recvonly(IReadOnlyList<MediaKind> kinds) => kinds.Select(k => new OfferedTrack(k, null)).ToList();

    /// <summary>
    /// The HTTP half only: POSTs the offer and reads the answer; the transport is built but not connected, so that a
    /// caller can set its handlers (or an external receiver) first and then call <see cref="ConnectAsync"/>. Credentials
    /// and certificate may be made beforehand (key generation is slow), e.g. to keep them out of a measured join.
    /// </summary>
    public static async Task<WhipWhepClient> NegotiateAsync(HttpClient http, string path, string token, IReadOnlyList<OfferedTrack> tracks, bool publish,
        IceCredentials? credentials = null, DtlsCertificate? certificate = null, CancellationToken ct = default)
    {
        credentials ??= IceCredentials.Generate();
        certificate ??= DtlsCertificate.Generate();
        var offer = ClientOffer.Write(credentials.Ufrag, credentials.Password, certificate.Fingerprint, tracks, publish);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(offer, Encoding.UTF8, "application/sdp") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new WhipException((int)response.StatusCode, body);
        if (!ClientAnswer.TryParse(body, out var answer, out var error))
            throw new WhipException((int)response.StatusCode, $"unusable answer: {error}");
        var location = response.Headers.Location is { } l ? new Uri(http.BaseAddress!, l) : null;
        var transport = new WebRtcClientTransport(answer!.Candidate, answer.IceUfrag, answer.IcePassword, answer.Fingerprint, certificate)
        {
            LocalUfrag = credentials.Ufrag,
            LocalPassword = credentials.Password, // answers the node's return-routability checks, as a browser does
        };
        return new WhipWhepClient(http, token, transport, answer, location) { ETag = response.Headers.ETag?.Tag };
    }

    /// <summary>ICE and DTLS with the node the answer named; on failure the transport is disposed and the exception thrown.</summary>
    public async Task ConnectAsync(CancellationToken ct = default)
    {
        try
        {
            await Transport.ConnectAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            Transport.Dispose();
            throw;
        }
    }

    private static async Task<WhipWhepClient> NegotiateAndConnectAsync(HttpClient http, string path, string token, IReadOnlyList<OfferedTrack> tracks, bool publish, CancellationToken ct)
    {
        var client = await NegotiateAsync(http, path, token, tracks, publish, ct: ct).ConfigureAwait(false);
        await client.ConnectAsync(ct).ConfigureAwait(false);
        return client;
    }

    /// <summary>The session's current entity tag (RFC 9725 §4.3.1), from the POST or the last restart.</summary>
    public string? ETag { get; private set; }

    /// <summary>
    /// ICE restart (RFC 9725 §4.3.2): PATCH the session with new credentials and If-Match: *, then run
    /// checks with the server's new ones. Throws <see cref="WhipException"/> when the server refuses.
    /// </summary>
    public async Task RestartIceAsync(CancellationToken ct = default)
    {
        var location = _location ?? throw new InvalidOperationException("The session was deleted.");
        var credentials = IceCredentials.Generate();
        // Our offers number their sections' mids 0..n-1 (ClientOffer).
        var mids = string.Join(' ', Enumerable.Range(0, Answer.Sections.Count));
        var fragment = $"a=group:BUNDLE {mids}\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
            + $"a=ice-ufrag:{credentials.Ufrag}\r\na=ice-pwd:{credentials.Password}\r\n";
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StringContent(fragment, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/trickle-ice-sdpfrag");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new WhipException((int)response.StatusCode, body);
        string? ufrag = null, password = null;
        foreach (var line in body.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
                ufrag = line["a=ice-ufrag:".Length..];
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
                password = line["a=ice-pwd:".Length..];
        }
        if (ufrag is null || password is null)
            throw new WhipException((int)response.StatusCode, $"restart answer lacks ice-ufrag or ice-pwd: {body}");
        ETag = response.Headers.ETag?.Tag;
        await Transport.RestartIceAsync(ufrag, password, credentials.Ufrag, ct, credentials.Password).ConfigureAwait(false);
    }

    /// <summary>Ends the session on the server (DELETE on its Location), then closes the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DeleteAsync().ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // The server is gone; its consent timer frees the session.
        }
        Transport.Dispose();
    }

    /// <summary>DELETE on the session's Location with the token it was created with; the HTTP status, or 0 if already deleted.</summary>
    public async Task<int> DeleteAsync()
    {
        if (Interlocked.Exchange(ref _location, null) is not { } location)
            return 0;
        using var request = new HttpRequestMessage(HttpMethod.Delete, location);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        return (int)response.StatusCode;
    }
}

/// <summary>The server refused an offer; <see cref="Status"/> and the problem body say why.</summary>
public sealed class WhipException(int status, string body) : Exception($"HTTP {status}: {body}")
{
    public int Status { get; } = status;

    public string Body { get; } = body;
}
