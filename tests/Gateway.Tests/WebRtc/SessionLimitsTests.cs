using Rtc.TestSupport;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Auth;
using Grains.Interfaces.Rooms;
using Rtc.TestClient;
using Xunit.Abstractions;
using MediaPlane.Contracts;

namespace Gateway.Tests.WebRtc;

/// <summary>The WHIP/WHEP limits of a real silo with its default "Limits" settings.</summary>
public sealed class SessionLimitsTests(SiloProcessFixture silo, ITestOutputHelper output) : IClassFixture<SiloProcessFixture>
{
    private static readonly OfferedTrack[] ThirtyTwoVideoTracks =
        [.. Enumerable.Range(0, 32).Select(i => new OfferedTrack(MediaKind.Video, 0x10000u + (uint)i * 2))];

    [Fact]
    public async Task A_flood_of_32_track_offers_is_refused_early_while_another_client_keeps_joining()
    {
        string room = "flood-" + Guid.NewGuid().ToString("N")[..8];
        string floodToken = silo.Token(room, "mallory", Grants.Publish);
        string sdp = Offer(ThirtyTwoVideoTracks);
        // The room exists (a publisher is in it) so that the flood is not refused for want of a room.
        await using (await WhipWhepClient.PublishAsync(silo.Http, room, silo.Token(room, "alice", Grants.Publish), [new(MediaKind.Audio, 0x1111)])) { }
        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long rssBefore = Rss();
        var watch = Stopwatch.StartNew();

        const int Offers = 200;
        var statuses = new List<(HttpStatusCode Status, string Body)>();
        var flood = Task.Run(async () =>
        {
            for (int batch = 0; batch < Offers / 8; batch++)
            {
                var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(room, floodToken, sdp)));
                lock (statuses) statuses.AddRange(answers);
            }
        });
        // Meanwhile another publisher joins, sends nothing, and leaves, again and again.
        int joins = 0;
        while (!flood.IsCompleted || joins < 3)
        {
            await using var client = await WhipWhepClient.PublishAsync(silo.Http, room, silo.Token(room, $"bob{joins}", Grants.Publish),
                [new(MediaKind.Audio, 0x3333), new(MediaKind.Video, 0x4444)]);
            joins++;
        }
        await flood;

        long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        long rssAfter = Rss();
        output.WriteLine($"{Offers} offers of 32 sections in {watch.ElapsedMilliseconds} ms while {joins} others joined; managed {managedBefore / 1024} -> {managedAfter / 1024} KiB, RSS {rssBefore / 1024} -> {rssAfter / 1024} KiB");
        output.WriteLine("first refusal: " + statuses[0].Body);
        statuses.Should().HaveCount(Offers).And.OnlyContain(s => s.Status == HttpStatusCode.BadRequest && s.Body.Contains("Limits:TracksPerSession"));
        (managedAfter - managedBefore).Should().BeLessThan(32L << 20, "refused offers leave nothing behind");
        (await silo.Grains.GetGrain<IRoomGrain>(room).GetParticipantsAsync()).Should().NotContain(p => p.Identity == "mallory");
        await Poll.UntilAsync(() => silo.MediaNode.SessionCount == 0, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_participant_past_its_session_limit_gets_429_with_retry_after_and_its_places_come_back_on_delete()
    {
        string room = "quota-" + Guid.NewGuid().ToString("N")[..8];
        string token = silo.Token(room, "greedy", Grants.Publish);
        var locations = new List<string>();
        try
        {
            for (int i = 0; i < 16; i++)
            {
                using var response = await SendAsync(room, token, Offer([new(MediaKind.Audio, 0x5000u + (uint)i * 2)]));
                response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                locations.Add(response.Headers.Location!.ToString());
            }
            using (var refused = await SendAsync(room, token, Offer([new(MediaKind.Audio, 0x6000)])))
            {
                refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
                refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                refused.Headers.RetryAfter.Should().NotBeNull();
                (await refused.Content.ReadAsStringAsync()).Should().Contain("Limits:SessionsPerParticipant");
            }
            // Another participant of the same room is not held back by greedy's sessions.
            using (var other = await SendAsync(room, silo.Token(room, "modest", Grants.Publish), Offer([new(MediaKind.Audio, 0x7000)])))
            {
                other.StatusCode.Should().Be(HttpStatusCode.Created);
                locations.Add(other.Headers.Location!.ToString());
            }
            await DeleteAsync(locations[0], token);
            locations.RemoveAt(0);
            using var again = await SendAsync(room, token, Offer([new(MediaKind.Audio, 0x6002)]));
            again.StatusCode.Should().Be(HttpStatusCode.Created, "a closed session gives its place back");
            locations.Add(again.Headers.Location!.ToString());
        }
        finally
        {
            foreach (var location in locations)
                await DeleteAsync(location, silo.Token(room, "cleaner", Grants.Admin));
        }
    }

    [Fact]
    public async Task A_non_admin_wildcard_token_cannot_create_a_room_through_whip()
    {
        string room = "wild-" + Guid.NewGuid().ToString("N")[..8];
        using (var refused = await SendAsync(room, silo.Token("*", "roamer", Grants.Publish), Offer([new(MediaKind.Audio, 0x1111)])))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await refused.Content.ReadAsStringAsync()).Should().Contain("does not exist");
        }
        (await silo.Grains.GetGrain<IRoomGrain>(room).GetAsync()).Should().BeNull();

        // A token naming the room creates it (the issuer chose that room), as an admin token does.
        await using var named = await WhipWhepClient.PublishAsync(silo.Http, room, silo.Token(room, "host", Grants.Publish), [new(MediaKind.Audio, 0x2222)]);
        (await silo.Grains.GetGrain<IRoomGrain>(room).GetAsync())!.Status.Should().Be(RoomStatus.Open);
    }

    private static string Offer(IReadOnlyList<OfferedTrack> tracks) =>
        ClientOffer.Write("abcd", "0123456789abcdefghijklmn", MediaPlane.Dtls.DtlsCertificate.Generate().Fingerprint, tracks, publish: true);

    private async Task<(HttpStatusCode, string)> PostAsync(string room, string token, string sdp)
    {
        using var response = await SendAsync(room, token, sdp);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> SendAsync(string room, string token, string sdp)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/whip/{room}") { Content = new StringContent(sdp, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return silo.Http.SendAsync(request);
    }

    private async Task DeleteAsync(string location, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, location);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var _ = await silo.Http.SendAsync(request);
    }

    private static long Rss() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"))["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
}
