using System.Diagnostics;
using Gateway.Auth;
using MediaPlane.Client;
using MediaPlane.Rtp;
using MediaPlane.WebRtc;

namespace Benchmarks.Control;

/// <summary>
/// Join time: a publisher (WHIP) sends media paced like a camera; a subscriber then POSTs its WHEP offer and the
/// time to its first media packet is taken. Each sample uses a fresh room and a fresh publisher, so a cross-silo
/// sample includes setting up the silo-to-silo relay. Region comes from X-Forwarded-For; the publisher goes
/// through the first gateway and the subscriber through the last, samples run one at a time.
/// </summary>
public sealed class JoinTimeProbe(IReadOnlyList<Uri> gateways, ApiKeyOptions keys)
{
    private static readonly TimeSpan FirstPacketTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The publisher's media has been flowing this long when the subscriber's POST leaves.</summary>
    public static readonly TimeSpan PublisherHead = TimeSpan.FromMilliseconds(300);

    public async Task<JoinSeries> MeasureAsync(string name, string publisherAddress, string subscriberAddress, bool sameNode,
        int samples, int warmup, CancellationToken ct)
    {
        using var publisherHttp = Client(gateways[0], publisherAddress);
        using var subscriberHttp = Client(gateways[^1], subscriberAddress);
        var total = new List<double>();
        var answer = new List<double>();
        var connected = new List<double>();
        var reasons = new List<string>();
        int failures = 0, wrong = 0;
        for (int i = -warmup; i < samples; i++)
        {
            bool counted = i >= 0;
            string room = $"join-{name}-{Guid.NewGuid().ToString("N")[..8]}";
            try
            {
                var (t, a, c, same) = await SampleAsync(publisherHttp, subscriberHttp, room, ct);
                if (!counted)
                    continue;
                total.Add(t);
                answer.Add(a);
                connected.Add(c);
                if (same != sameNode)
                    wrong++;
                Console.WriteLine($"  join {name} {i + 1}/{samples}: {t:0.0} ms (answer {a:0.0}, connected {c:0.0}){(same != sameNode ? " WRONG NODE" : "")}");
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                string reason = e.GetType().Name + ": " + e.Message.Split('\n')[0];
                Console.WriteLine($"  join {name} {(counted ? $"{i + 1}/{samples}" : "warm-up")}: FAILED {reason}");
                if (!counted)
                    continue;
                failures++;
                if (reasons.Count < 5)
                    reasons.Add(reason);
            }
        }
        return new JoinSeries
        {
            Name = name,
            PublisherForwardedFor = publisherAddress,
            SubscriberForwardedFor = subscriberAddress,
            Samples = samples,
            Failures = failures,
            FailureReasons = reasons,
            WrongPlacement = wrong,
            Total = LatencyRecorder.Summarise(total),
            Answer = LatencyRecorder.Summarise(answer),
            Connected = LatencyRecorder.Summarise(connected),
        };
    }

    private async Task<(double Total, double Answer, double Connected, bool SameNode)> SampleAsync(HttpClient publisherHttp, HttpClient subscriberHttp, string room, CancellationToken ct)
    {
        string publisherToken = AccessTokenIssuer.Create(keys, room, "publisher", Grants.Publish, TimeSpan.FromMinutes(10));
        string subscriberToken = AccessTokenIssuer.Create(keys, room, "subscriber", Grants.Subscribe, TimeSpan.FromMinutes(10));
        await using var publisher = await WhipWhepClient.PublishAsync(publisherHttp, room, publisherToken,
            [new OfferedTrack(MediaKind.Audio, 0xA1), new OfferedTrack(MediaKind.Video, 0xB1)], ct);
        using var stopSending = new CancellationTokenSource();
        var sending = SendMediaAsync(publisher, stopSending.Token);
        try
        {
            await Task.Delay(PublisherHead, ct);
            await using var subscriber = await TimedWhepSubscriber.JoinAsync(subscriberHttp, room, subscriberToken, ct);
            long first;
            try
            {
                first = await subscriber.FirstPacket.WaitAsync(FirstPacketTimeout, ct);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no media packet within {FirstPacketTimeout.TotalSeconds} s of the WHEP POST");
            }
            return (Stopwatch.GetElapsedTime(subscriber.Posted, first).TotalMilliseconds,
                Stopwatch.GetElapsedTime(subscriber.Posted, subscriber.Answered).TotalMilliseconds,
                Stopwatch.GetElapsedTime(subscriber.Posted, subscriber.Connected).TotalMilliseconds,
                subscriber.Node.Equals(publisher.Answer.Candidate));
        }
        finally
        {
            stopSending.Cancel();
            await sending;
        }
    }

    private static HttpClient Client(Uri gateway, string forwardedFor)
    {
        var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return http;
    }

    /// <summary>Paced like a camera: 100 video (900 B) and 50 audio (160 B) packets a second until stopped.</summary>
    private static async Task SendMediaAsync(WhipWhepClient publisher, CancellationToken stop)
    {
        var packet = new byte[12 + 900];
        for (ushort seq = 0; !stop.IsCancellationRequested; seq++)
        {
            new RtpPacketWriter(packet).TryBegin(false, 96, seq, seq * 900u, 0xB1);
            publisher.Transport.SendRtp(packet);
            if (seq % 2 == 0)
            {
                ushort audioSeq = (ushort)(seq / 2);
                new RtpPacketWriter(packet).TryBegin(false, 111, audioSeq, audioSeq * 960u, 0xA1);
                publisher.Transport.SendRtp(packet.AsSpan(0, 12 + 160));
            }
            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
