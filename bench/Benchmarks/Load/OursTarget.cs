using System.Net.Http.Headers;
using System.Text;
using Gateway.Auth;
using MediaPlane.Client;
using MediaPlane.Dtls;
using MediaPlane.Ice;
using MediaPlane.WebRtc;

namespace Benchmarks.Load;

/// <summary>Our silo through WHIP/WHEP with our own client (tokens signed with the default development key).</summary>
public sealed class OursTarget(string url, EpollReceiver receiver) : SfuTarget
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url) };
    private readonly ApiKeyOptions _keys = new();

    public override string Name => "ours";

    private EpollReceiver Receiver => receiver;

    private string Token(string room, string identity) =>
        AccessTokenIssuer.Create(_keys, room, identity, Grants.Publish | Grants.Subscribe, TimeSpan.FromHours(1));

    public override Task<string> CreateRoomAsync(int index, int publishers, CancellationToken ct) =>
        Task.FromResult($"load-{index}-{Guid.NewGuid().ToString("N")[..6]}");

    public override async Task<MediaLeg> PublishAsync(string room, int index, uint audioSsrc, uint videoSsrc, CancellationToken ct) =>
        new Leg(await WhipWhepClient.PublishAsync(_http, room, Token(room, $"pub{index}"), [new(MediaKind.Audio, audioSsrc), new(MediaKind.Video, videoSsrc)], ct));

    /// <summary>WHEP (RFC 9725 shape) done here rather than by WhipWhepClient, so the transport is received on by the shared epoll threads.</summary>
    public override async Task<MediaLeg> SubscribeAsync(string room, int index, WebRtcClientTransport.RtpHandler onRtp, CancellationToken ct)
    {
        var credentials = IceCredentials.Generate();
        var certificate = DtlsCertificate.Generate();
        var offer = ClientOffer.Write(credentials.Ufrag, credentials.Password, certificate.Fingerprint,
            [new OfferedTrack(MediaKind.Audio, null), new OfferedTrack(MediaKind.Video, null)], publish: false);
        string token = Token(room, $"sub{index}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/whep/{Uri.EscapeDataString(room)}") { Content = new StringContent(offer, Encoding.UTF8, "application/sdp") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new WhipException((int)response.StatusCode, body);
        if (!ClientAnswer.TryParse(body, out var answer, out var error))
            throw new WhipException((int)response.StatusCode, $"unusable answer: {error}");
        var location = response.Headers.Location is { } l ? new Uri(_http.BaseAddress!, l) : null;
        var transport = new WebRtcClientTransport(answer!.Candidate, answer.IceUfrag, answer.IcePassword, answer.Fingerprint, certificate)
        {
            LocalUfrag = credentials.Ufrag,
            OnRtp = onRtp,
            ExternalReceive = true,
        };
        receiver.Add(transport);
        try
        {
            await transport.ConnectAsync(ct);
        }
        catch
        {
            receiver.Remove(transport);
            transport.Dispose();
            throw;
        }
        return new SubscriberLeg(this, transport, location, token);
    }

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Leg(WhipWhepClient client) : MediaLeg
    {
        public override bool Send(ReadOnlySpan<byte> rtp) => client.Transport.SendRtp(rtp);

        public override ValueTask DisposeAsync() => client.DisposeAsync();
    }

    private sealed class SubscriberLeg(OursTarget target, WebRtcClientTransport transport, Uri? location, string token) : MediaLeg
    {
        public override bool Send(ReadOnlySpan<byte> rtp) => transport.SendRtp(rtp);

        public override async ValueTask DisposeAsync()
        {
            if (location is not null)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Delete, location);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await target._http.SendAsync(request);
                }
                catch (HttpRequestException)
                {
                }
            }
            target.Receiver.Remove(transport);
            transport.Dispose();
        }
    }
}
