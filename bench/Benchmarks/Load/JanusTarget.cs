using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Dtls;
using MediaPlane.Ice;

namespace Benchmarks.Load;

/// <summary>
/// Janus's videoroom plugin driven through its HTTP API, with our client as a full ICE peer:
/// publishers offer (DTLS active, our host candidate) and get Janus's answer; subscribers join, get
/// Janus's offer and answer it (DTLS active, controlled ICE role). Full DTLS-SRTP both ways.
/// </summary>
public sealed class JanusTarget(string url, EpollReceiver receiver) : SfuTarget
{
    private const string Plugin = "janus.plugin.videoroom";
    private readonly JanusApi _api = new(url);
    private readonly ConcurrentDictionary<string, ConcurrentBag<long>> _feeds = new();
    private readonly List<long> _rooms = [];
    private long _adminHandle;

    public override string Name => "janus";

    public override async Task<string> CreateRoomAsync(int index, int publishers, CancellationToken ct)
    {
        if (_adminHandle == 0)
        {
            await _api.StartAsync(ct);
            _adminHandle = await _api.AttachAsync(Plugin, ct);
        }
        long room = Random.Shared.NextInt64(1_000_000, 1_000_000_000);
        var created = await _api.MessageAsync(_adminHandle, new JsonObject
        {
            ["request"] = "create", ["room"] = room, ["publishers"] = Math.Max(publishers, 1), ["bitrate"] = 0,
            ["audiocodec"] = "opus", ["videocodec"] = "vp8", ["fir_freq"] = 0, ["notify_joining"] = false,
        }, null, ct);
        Expect(created, "created");
        lock (_rooms)
            _rooms.Add(room);
        var name = room.ToString();
        _feeds[name] = [];
        return name;
    }

    public override async Task<MediaLeg> PublishAsync(string room, int index, uint audioSsrc, uint videoSsrc, CancellationToken ct)
    {
        long handle = await _api.AttachAsync(Plugin, ct);
        var joined = await _api.MessageAsync(handle, new JsonObject
        {
            ["request"] = "join", ["ptype"] = "publisher", ["room"] = long.Parse(room), ["display"] = $"pub{index}",
        }, null, ct);
        long feed = Expect(joined, "joined")["id"]!.GetValue<long>();

        var socket = BoundSocket();
        var credentials = IceCredentials.Generate();
        var certificate = DtlsCertificate.Generate();
        var offer = FullIceSdp.WriteOffer(credentials.Ufrag, credentials.Password, certificate.Fingerprint,
            [new OfferedTrack(MediaKind.Audio, audioSsrc), new OfferedTrack(MediaKind.Video, videoSsrc)], publish: true, (IPEndPoint)socket.LocalEndPoint!);
        var configured = await _api.MessageAsync(handle, new JsonObject { ["request"] = "publish" },
            new JsonObject { ["type"] = "offer", ["sdp"] = offer }, ct);
        Expect(configured, "event");
        var answerSdp = (string?)configured["jsep"]?["sdp"] ?? throw new InvalidOperationException("Janus answered publish without SDP");
        if (!ClientAnswer.TryParse(answerSdp, out var answer, out var error))
            throw new InvalidOperationException($"Janus's answer: {error}\n{answerSdp}");
        var transport = new WebRtcClientTransport(answer!.Candidate, answer.IceUfrag, answer.IcePassword, answer.Fingerprint, certificate, boundSocket: socket)
        {
            LocalUfrag = credentials.Ufrag,
            LocalPassword = credentials.Password,
            Controlling = true,
        };
        await ConnectOrDispose(transport, ct);
        _feeds[room].Add(feed);
        return new Leg(transport, null);
    }

    public override async Task<MediaLeg> SubscribeAsync(string room, int index, WebRtcClientTransport.RtpHandler onRtp, CancellationToken ct)
    {
        long handle = await _api.AttachAsync(Plugin, ct);
        var streams = new JsonArray(_feeds[room].Select(f => (JsonNode)new JsonObject { ["feed"] = f }).ToArray());
        var attached = await _api.MessageAsync(handle, new JsonObject
        {
            ["request"] = "join", ["ptype"] = "subscriber", ["room"] = long.Parse(room), ["streams"] = streams,
        }, null, ct);
        Expect(attached, "attached");
        var offerSdp = (string?)attached["jsep"]?["sdp"] ?? throw new InvalidOperationException("Janus's subscriber join has no offer");
        if (!ClientAnswer.TryParse(offerSdp, out var offer, out var error))
            throw new InvalidOperationException($"Janus's offer: {error}\n{offerSdp}");

        var socket = BoundSocket();
        var credentials = IceCredentials.Generate();
        var certificate = DtlsCertificate.Generate();
        var answer = FullIceSdp.WriteAnswer(offerSdp, offer!, credentials.Ufrag, credentials.Password, certificate.Fingerprint, (IPEndPoint)socket.LocalEndPoint!);
        var transport = new WebRtcClientTransport(offer!.Candidate, offer.IceUfrag, offer.IcePassword, offer.Fingerprint, certificate, boundSocket: socket)
        {
            LocalUfrag = credentials.Ufrag,
            LocalPassword = credentials.Password,
            Controlling = false, // Janus offered, so it controls and nominates (RFC 8445 §6.1.1)
            OnRtp = onRtp,
            ExternalReceive = true,
        };
        receiver.Add(transport);
        var started = await _api.MessageAsync(handle, new JsonObject { ["request"] = "start" },
            new JsonObject { ["type"] = "answer", ["sdp"] = answer }, ct);
        Expect(started, "event");
        try
        {
            await ConnectOrDispose(transport, ct);
        }
        catch
        {
            receiver.Remove(transport);
            throw;
        }
        return new Leg(transport, receiver);
    }

    private static Socket BoundSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task ConnectOrDispose(WebRtcClientTransport transport, CancellationToken ct)
    {
        try
        {
            await transport.ConnectAsync(ct);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>The plugin's data of a videoroom answer, checked to be <paramref name="what"/> (or any event).</summary>
    private static JsonObject Expect(JsonObject response, string what)
    {
        var data = response["plugindata"]?["data"] as JsonObject ?? throw new InvalidOperationException($"Janus: no plugin data in {response.ToJsonString()}");
        if (data["error"] is not null || (what != "event" && (string?)data["videoroom"] != what))
            throw new InvalidOperationException($"Janus videoroom: expected '{what}', got {data.ToJsonString()}");
        return data;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var room in _rooms)
        {
            try
            {
                await _api.MessageAsync(_adminHandle, new JsonObject { ["request"] = "destroy", ["room"] = room }, null, CancellationToken.None);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException)
            {
            }
        }
        await _api.DisposeAsync();
    }

    private sealed class Leg(WebRtcClientTransport transport, EpollReceiver? receiver) : MediaLeg
    {
        public override bool Send(ReadOnlySpan<byte> rtp) => transport.SendRtp(rtp);

        public override ValueTask DisposeAsync()
        {
            receiver?.Remove(transport);
            transport.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
