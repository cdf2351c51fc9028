using Rtc.TestClient;

namespace Benchmarks.Load;

/// <summary>One media leg of the load: a publisher we send on or a subscriber we receive on.</summary>
public abstract class MediaLeg : IAsyncDisposable
{
    /// <summary>Sends one plain RTP packet (protected first where the target does SRTP).</summary>
    public abstract bool Send(ReadOnlySpan<byte> rtp);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A server under load: ours (WHIP/WHEP), Janus (videoroom API) or the kernel baseline forwarder.</summary>
public abstract class SfuTarget : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>Creates (or names) room number <paramref name="index"/> for <paramref name="publishers"/> publishers.</summary>
    public abstract Task<string> CreateRoomAsync(int index, int publishers, CancellationToken ct);

    public abstract Task<MediaLeg> PublishAsync(string room, int index, uint audioSsrc, uint videoSsrc, CancellationToken ct);

    /// <summary>Subscribes to every publisher in the room; <paramref name="onRtp"/> sees each decrypted RTP packet from the first one on.</summary>
    public abstract Task<MediaLeg> SubscribeAsync(string room, int index, WebRtcClientTransport.RtpHandler onRtp, CancellationToken ct);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
