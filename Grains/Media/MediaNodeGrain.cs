using Grains.Interfaces.Media;
using Grains.Interfaces.Streams;
using Grains.Placement;
using MediaPlane.Dtls;
using MediaPlane.WebRtc;

namespace Grains.Media;

/// <summary>The control plane's door to this silo's media plane; see <see cref="IMediaNodeGrain"/>.</summary>
[SiloBoundPlacement]
public sealed class MediaNodeGrain(IMediaNode node, MediaNodeService service) : Grain, IMediaNodeGrain
{
    public Task<MediaSessionGrant> OpenSessionAsync(MediaSessionSpec spec)
    {
        var fingerprints = new List<DtlsFingerprint>();
        foreach (var text in spec.RemoteFingerprints)
        {
            if (!DtlsFingerprint.TryParse(text, out var fingerprint) || fingerprint is null)
                throw new MediaNodeException($"Unusable DTLS fingerprint '{text}'.");
            fingerprints.Add(fingerprint);
        }
        var request = new MediaSessionRequest(
            spec.SessionId,
            spec.RemoteUfrag,
            fingerprints,
            spec.DtlsServer ? DtlsRole.Server : DtlsRole.Client,
            spec.Publish.Select(t => new PublishedTrack(t.StreamId, ToMediaKind(t.Kind), t.Ssrc, t.RtxSsrc, t.PayloadType, t.RtxPayloadType, t.ClockRate, t.Codec)).ToList(),
            spec.Subscribe.Select(t => new SubscribedTrack(t.StreamId, t.OutputSsrc, t.OutputRtxSsrc, t.PayloadType, t.RtxPayloadType)).ToList());
        MediaSessionAnswer answer;
        try
        {
            answer = node.Open(request);
        }
        catch (MediaSessionException e)
        {
            throw new MediaNodeException(e.Message);
        }
        return Task.FromResult(new MediaSessionGrant(answer.SessionId, this.GetPrimaryKeyString(), answer.LocalUfrag, answer.LocalPassword,
            answer.LocalFingerprint.ToString(), answer.Address, answer.Port));
    }

    public Task<bool> CloseSessionAsync(string sessionId) => Task.FromResult(node.Close(sessionId));

    public Task<MediaNodeInfo> GetInfoAsync() => Task.FromResult(service.CurrentInfo());

    public Task<MediaSessionGrant?> RestartIceAsync(string sessionId, string remoteUfrag)
    {
        MediaSessionAnswer? answer;
        try
        {
            answer = node.RestartIce(sessionId, remoteUfrag);
        }
        catch (MediaSessionException e)
        {
            throw new MediaNodeException(e.Message);
        }
        return Task.FromResult(answer is null ? null : new MediaSessionGrant(answer.SessionId, this.GetPrimaryKeyString(), answer.LocalUfrag,
            answer.LocalPassword, answer.LocalFingerprint.ToString(), answer.Address, answer.Port));
    }

    private static MediaKind ToMediaKind(StreamKind kind) => kind == StreamKind.Audio ? MediaKind.Audio : MediaKind.Video;
}
