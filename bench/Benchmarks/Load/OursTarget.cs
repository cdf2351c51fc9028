using Gateway.Auth;
using Rtc.TestClient;
using MediaPlane.Contracts;

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

    /// <summary>WHEP with the transport received on by the shared epoll threads: handlers are set before it connects.</summary>
    public override async Task<MediaLeg> SubscribeAsync(string room, int index, WebRtcClientTransport.RtpHandler onRtp, CancellationToken ct)
    {
        var client = await WhipWhepClient.NegotiateAsync(_http, WhipWhepClient.WhepPath(room), Token(room, $"sub{index}"),
            WhipWhepClient.Recvonly([MediaKind.Audio, MediaKind.Video]), publish: false, ct: ct);
        client.Transport.OnRtp = onRtp;
        client.Transport.ExternalReceive = true;
        receiver.Add(client.Transport);
        try
        {
            await client.ConnectAsync(ct);
        }
        catch
        {
            receiver.Remove(client.Transport);
            await client.DisposeAsync();
            throw;
        }
        return new SubscriberLeg(this, client);
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

    private sealed class SubscriberLeg(OursTarget target, WhipWhepClient client) : MediaLeg
    {
        public override bool Send(ReadOnlySpan<byte> rtp) => client.Transport.SendRtp(rtp);

        public override ValueTask DisposeAsync()
        {
            target.Receiver.Remove(client.Transport);
            return client.DisposeAsync();
        }
    }
}
