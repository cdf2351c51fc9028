using Gateway.Auth;
using MediaPlane.Client;
using MediaPlane.WebRtc;

namespace Benchmarks.Load;

/// <summary>Our silo through WHIP/WHEP with our own client (tokens signed with the default development key).</summary>
public sealed class OursTarget(string url) : SfuTarget
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url) };
    private readonly ApiKeyOptions _keys = new();

    public override string Name => "ours";

    private string Token(string room, string identity) =>
        AccessTokenIssuer.Create(_keys, room, identity, Grants.Publish | Grants.Subscribe, TimeSpan.FromHours(1));

    public override Task<string> CreateRoomAsync(int index, int publishers, CancellationToken ct) =>
        Task.FromResult($"load-{index}-{Guid.NewGuid().ToString("N")[..6]}");

    public override async Task<MediaLeg> PublishAsync(string room, int index, uint audioSsrc, uint videoSsrc, CancellationToken ct) =>
        new Leg(await WhipWhepClient.PublishAsync(_http, room, Token(room, $"pub{index}"), [new(MediaKind.Audio, audioSsrc), new(MediaKind.Video, videoSsrc)], ct));

    public override async Task<MediaLeg> SubscribeAsync(string room, int index, WebRtcClientTransport.RtpHandler onRtp, CancellationToken ct)
    {
        var client = await WhipWhepClient.SubscribeAsync(_http, room, Token(room, $"sub{index}"), [MediaKind.Audio, MediaKind.Video], ct: ct);
        // Set once connected: a packet that arrived in between is not seen (at 200 packets/s, at most ~5 ms of join time).
        client.Transport.OnRtp = onRtp;
        return new Leg(client);
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
}
