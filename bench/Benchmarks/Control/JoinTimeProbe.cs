using System.Diagnostics;
using Gateway.Auth;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Rtp;

namespace Benchmarks.Control;

/// <summary>
/// Join time: a publisher (WHIP) sends media paced like a camera; a subscriber then POSTs its WHEP offer and the
/// time to its first media packet is taken. Each sample uses a fresh room and a fresh publisher, so a cross-silo
/// sample includes setting up the silo-to-silo relay. Region comes from X-Forwarded-For; the publisher goes
/// through the first gateway and the subscriber through the last, samples run one at a time,
/// alternating between the placements.
/// </summary>
public sealed class JoinTimeProbe(IReadOnlyList<Uri> gateways, ApiKeyOptions keys)
{
    private static readonly TimeSpan FirstPacketTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The publisher's media has been flowing this long when the subscriber's POST leaves.</summary>
    public static readonly TimeSpan PublisherHead = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Samples the placements in turn (one of each, then the next round), so that a machine whose load drifts
    /// during the run weighs on every placement alike rather than on whichever would have run first.
    /// </summary>
    public async Task<IReadOnlyList<JoinSeries>> MeasureAsync(IReadOnlyList<JoinPlacement> placements, int samples, int warmup, CancellationToken ct)
    {
        var series = placements.Select(p => new Series(p, Client(gateways[0], p.PublisherAddress), Client(gateways[^1], p.SubscriberAddress))).ToList();
        try
        {
            for (int i = -warmup; i < samples; i++)
                foreach (var s in series)
                    await SampleAsync(s, i, samples, ct);
        }
        finally
        {
            foreach (var s in series)
                s.Dispose();
        }
        return [.. series.Select(s => new JoinSeries
        {
            Name = s.Placement.Name,
            PublisherForwardedFor = s.Placement.PublisherAddress,
            SubscriberForwardedFor = s.Placement.SubscriberAddress,
            Samples = samples,
            Failures = s.Failures,
            FailureReasons = s.Reasons,
            WrongPlacement = s.Wrong,
            Total = LatencyRecorder.Summarise(s.Total),
            Answer = LatencyRecorder.Summarise(s.Answer),
            Connected = LatencyRecorder.Summarise(s.Connected),
        })];
    }

    private async Task SampleAsync(Series s, int i, int samples, CancellationToken ct)
    {
        bool counted = i >= 0;
        string name = s.Placement.Name, at = counted ? $"{i + 1}/{samples}" : "warm-up";
        string room = $"join-{name}-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            var (t, a, c, same) = await SampleAsync(s.PublisherHttp, s.SubscriberHttp, room, ct);
            bool wrong = same != s.Placement.SameNode;
            Console.WriteLine($"  join {name} {at}: {t:0.0} ms (answer {a:0.0}, connected {c:0.0}){(wrong ? " WRONG NODE" : "")}");
            if (!counted)
                return;
            s.Total.Add(t);
            s.Answer.Add(a);
            s.Connected.Add(c);
            if (wrong)
                s.Wrong++;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            string reason = e.GetType().Name + ": " + e.Message.Split('\n')[0];
            Console.WriteLine($"  join {name} {at}: FAILED {reason}");
            if (!counted)
                return;
            s.Failures++;
            if (s.Reasons.Count < 5)
                s.Reasons.Add(reason);
        }
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

    private sealed class Series(JoinPlacement placement, HttpClient publisherHttp, HttpClient subscriberHttp) : IDisposable
    {
        public JoinPlacement Placement { get; } = placement;
        public HttpClient PublisherHttp { get; } = publisherHttp;
        public HttpClient SubscriberHttp { get; } = subscriberHttp;
        public List<double> Total { get; } = [];
        public List<double> Answer { get; } = [];
        public List<double> Connected { get; } = [];
        public List<string> Reasons { get; } = [];
        public int Failures { get; set; }
        public int Wrong { get; set; }

        public void Dispose()
        {
            PublisherHttp.Dispose();
            SubscriberHttp.Dispose();
        }
    }
}

/// <summary>Where the publisher and the subscriber come from (X-Forwarded-For), and whether that puts them on one silo.</summary>
public sealed record JoinPlacement(string Name, string PublisherAddress, string SubscriberAddress, bool SameNode);
