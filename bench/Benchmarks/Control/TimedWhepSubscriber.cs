using System.Diagnostics;
using System.Net;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Dtls;
using MediaPlane.Ice;

namespace Benchmarks.Control;

/// <summary>
/// A WHEP subscriber timed from the moment its POST leaves: answer received, ICE and DTLS done, first media
/// packet. The RTP handler is set before the transport connects, so no early packet goes uncounted; the key pair
/// is made before the clock starts.
/// </summary>
public sealed class TimedWhepSubscriber : IAsyncDisposable
{
    private readonly WhipWhepClient _client;

    private TimedWhepSubscriber(WhipWhepClient client, long posted, long answered, long connected, Task<long> firstPacket)
    {
        _client = client;
        Posted = posted;
        Answered = answered;
        Connected = connected;
        FirstPacket = firstPacket;
    }

    /// <summary>The media address the answer named: which silo serves this subscriber.</summary>
    public IPEndPoint Node => _client.Answer.Candidate;

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
        var first = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);

        long posted = Stopwatch.GetTimestamp();
        var client = await WhipWhepClient.NegotiateAsync(http, WhipWhepClient.WhepPath(room), token,
            WhipWhepClient.Recvonly([MediaKind.Audio, MediaKind.Video]), publish: false, credentials, certificate, ct);
        long answered = Stopwatch.GetTimestamp();
        client.Transport.OnRtp = _ => first.TrySetResult(Stopwatch.GetTimestamp());
        try
        {
            await client.ConnectAsync(ct);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return new TimedWhepSubscriber(client, posted, answered, Stopwatch.GetTimestamp(), first.Task);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
