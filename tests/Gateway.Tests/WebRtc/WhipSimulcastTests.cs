using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Auth;
using Gateway.Tests.Sdp;

namespace Gateway.Tests.WebRtc;

/// <summary>WHIP with a=rid/a=simulcast and no a=ssrc (RFC 8851/8853): accepted up to three layers, on a real silo.</summary>
public sealed class WhipSimulcastTests(SiloProcessFixture silo) : IClassFixture<SiloProcessFixture>
{
    private const string FourLayers = "a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=rid:x send\r\na=simulcast:send q;h;f;x\r\n";

    [Fact]
    public async Task A_simulcast_offer_without_ssrcs_is_accepted_with_its_first_three_layers_as_one_track()
    {
        string room = "sim-" + Guid.NewGuid().ToString("N")[..8];
        string token = silo.Token(room, "alice", Grants.Publish);

        using var response = await PostAsync($"/whip/{room}", token, SimulcastSdpTests.SimulcastOffer(FourLayers));
        string answer = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.Created, answer);
        answer.Should().Contain("a=simulcast:recv q;h;f").And.NotContain("a=rid:x");
        string location = response.Headers.Location!.ToString();
        string sessionId = location[(location.LastIndexOf('/') + 1)..];
        var video = silo.MediaNode.FindTrack($"{sessionId}-1");
        video.Should().NotBeNull();
        video!.SimulcastRids.Should().Equal("q", "h", "f");
        video.Ssrc.Should().Be(0u, "learned from the RID extension of the layers' packets");
        video.RidExtensionId.Should().Be(10);
        video.RepairedRidExtensionId.Should().Be(11);
        silo.MediaNode.FindTrack($"{sessionId}-0")!.SimulcastRids.Should().BeEmpty("audio stays one stream");

        using var layerOnWhip = await PostAsync($"/whep/{room}/{sessionId}/layer?rid=q", token, null);
        layerOnWhip.StatusCode.Should().Be(HttpStatusCode.NotFound, "a WHIP session has no layers to choose");
        using var badRid = await PostAsync($"/whep/{room}/{sessionId}/layer?rid=a%20b", token, null);
        badRid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, location);
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await silo.Http.SendAsync(delete)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_section_without_ssrcs_needs_simulcast_with_the_rid_extension()
    {
        string room = "sim-" + Guid.NewGuid().ToString("N")[..8];
        string token = silo.Token(room, "alice", Grants.Publish);
        int sessionsBefore = silo.MediaNode.SessionCount;
        string withoutRidExtension = string.Join("\r\n", SimulcastSdpTests.SimulcastOffer(FourLayers).Split("\r\n")
            .Where(l => !l.Contains("rtp-stream-id", StringComparison.Ordinal)));
        string withoutSimulcast = SimulcastSdpTests.SimulcastOffer("a=x-no-simulcast:1\r\n");

        using var noRid = await PostAsync($"/whip/{room}", token, withoutRidExtension);
        using var plain = await PostAsync($"/whip/{room}", token, withoutSimulcast);

        noRid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noRid.Content.ReadAsStringAsync()).Should().Contain("rtp-stream-id");
        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await plain.Content.ReadAsStringAsync()).Should().Contain("no a=ssrc");
        silo.MediaNode.SessionCount.Should().Be(sessionsBefore);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string token, string? sdp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (sdp is not null)
        {
            request.Content = new StringContent(sdp, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await silo.Http.SendAsync(request);
    }
}
