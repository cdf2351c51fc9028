using System.Text.Json;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Microsoft.Playwright;
using Rtc.TestSupport;
using Xunit.Abstractions;

namespace Gateway.Tests.Browser;

/// <summary>
/// Issue 24 item 1: the meeting page at <c>/</c> in headless chromium with fake devices, two people in one room
/// with tokens from the embedding application (the cluster-profile way: <c>/#room=&amp;token=</c>). What a
/// person sees is read from the page's DOM through <c>rtcDemo.view()</c>: tiles with names, mute state, frames.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MeetingPageTests(SiloProcessFixture silo, ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_people_see_each_others_video_and_names_and_one_sees_the_other_mute_and_unmute()
    {
        string room = "meet-" + Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs });
        var console = new List<string>();
        var pages = new List<IPage>();
        try
        {
            var ann = await DemoPage.OpenAsync(browser, silo, room, "Ann", "both", Grants.Publish | Grants.Subscribe, console);
            pages.Add(ann);
            var ben = await DemoPage.OpenAsync(browser, silo, room, "Ben", "both", Grants.Publish | Grants.Subscribe, console);
            pages.Add(ben);

            var annSees = await UntilAsync(ann, v => CameraOf(v, "Ben") is { Frames: > 10 }, "Ann plays Ben's video", console);
            var benSees = await UntilAsync(ben, v => CameraOf(v, "Ann") is { Frames: > 10 }, "Ben plays Ann's video", console);
            output.WriteLine($"Ann sees: {annSees}\nBen sees: {benSees}");
            CameraOf(annSees, "Ben")!.Name.Should().Be("Ben");
            CameraOf(benSees, "Ann")!.Name.Should().Be("Ann");
            CameraOf(benSees, "Ann")!.Quality.Should().Contain("kbit/s");
            annSees.People.Should().Contain(p => p.StartsWith("Ann (you)")).And.Contain(p => p.StartsWith("Ben"));
            benSees.People.Should().Contain(p => p.StartsWith("Ben (you)")).And.Contain(p => p.StartsWith("Ann"));

            // Sound flows: Ann is not shown muted while her microphone is on (more than the 1.5 s a silent track needs).
            var frames = CameraOf(benSees, "Ann")!.Frames;
            var later = await UntilAsync(ben, v => CameraOf(v, "Ann") is { } t && t.Frames > frames + 60, "two more seconds of Ann's video", console);
            CameraOf(later, "Ann")!.Muted.Should().BeFalse("Ann's microphone is on");

            await ann.ClickAsync("#mic");
            CameraOf(await ViewAsync(ann), "Ann")!.Muted.Should().BeTrue("Ann sees her own tile muted at once");
            var muted = await UntilAsync(ben, v => CameraOf(v, "Ann") is { Muted: true }, "Ben sees Ann muted", console);
            CameraOf(muted, "Ann")!.CameraOff.Should().BeFalse("only the microphone went off");
            muted.People.Should().Contain(p => p.StartsWith("Ann") && p.Contains("🔇"));

            await ann.ClickAsync("#mic");
            await UntilAsync(ben, v => CameraOf(v, "Ann") is { Muted: false }, "Ben sees Ann unmuted", console);

            foreach (var page in pages)
                (await ErrorsAsync(page)).Should().BeEmpty();
        }
        finally
        {
            await DemoPage.LeaveAsync(pages);
        }
    }

    [Fact]
    public async Task A_shared_screen_appears_as_a_tile_of_its_own_at_the_other_page_and_goes_when_sharing_stops()
    {
        string room = "screen-" + Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = ChromiumArgsWithScreen });
        var console = new List<string>();
        var pages = new List<IPage>();
        try
        {
            var ann = await DemoPage.OpenAsync(browser, silo, room, "Ann", "both", Grants.Publish | Grants.Subscribe, console);
            pages.Add(ann);
            var ben = await DemoPage.OpenAsync(browser, silo, room, "Ben", "both", Grants.Publish | Grants.Subscribe, console);
            pages.Add(ben);
            await UntilAsync(ben, v => CameraOf(v, "Ann") is { Frames: > 10 }, "Ben plays Ann's camera", console);

            await ann.ClickAsync("#screen");
            var sharing = await UntilAsync(ben, v => v.Tiles.Any(t => t.Identity == "Ann" && t.Kind == "screen" && t.Frames > 10),
                "Ben plays Ann's screen in a tile of its own", console);
            output.WriteLine($"Ben sees: {sharing}");
            sharing.Tiles.Should().ContainSingle(t => t.Identity == "Ann" && t.Kind == "screen").Which.Name.Should().Be("Ann — screen");
            CameraOf(sharing, "Ann").Should().NotBeNull("the camera stays beside the screen");
            sharing.People.Should().Contain(p => p.StartsWith("Ann") && p.Contains("presenting"));

            await ann.ClickAsync("#screen");
            var stopped = await UntilAsync(ben, v => v.Tiles.All(t => t.Kind != "screen"), "Ann's screen tile goes", console);
            await UntilAsync(ben, v => CameraOf(v, "Ann") is { Frames: > 10 }, "Ann's camera plays again", console);
            stopped.Tiles.Should().Contain(t => t.Identity == "Ann" && t.Kind == "camera");
            foreach (var page in pages)
                (await ErrorsAsync(page)).Should().BeEmpty();
        }
        finally
        {
            await DemoPage.LeaveAsync(pages);
        }
    }

    // Headless chromium captures a fake screen; the picker is accepted without a click on it.
    private static readonly string[] ChromiumArgsWithScreen =
        [.. DemoPageTests.ChromiumArgs, "--auto-select-desktop-capture-source=Entire screen", "--enable-usermedia-screen-capturing"];

    private static TileView? CameraOf(MeetingView view, string identity) =>
        view.Tiles.FirstOrDefault(t => t.Identity == identity && t.Kind == "camera");

    private static async Task<MeetingView> ViewAsync(IPage page) =>
        JsonSerializer.Deserialize<MeetingView>(await page.EvaluateAsync<string>("() => window.rtcDemo.view()"), JsonSerializerOptions.Web)!;

    private static async Task<string[]> ErrorsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => window.rtcDemo.errors");

    // On timeout the pages' console lines so far (reconnects, refused requests) follow what was awaited.
    private static async Task<MeetingView> UntilAsync(IPage page, Func<MeetingView, bool> done, string what, List<string> console)
    {
        try
        {
            return await Poll.UntilAsync(() => ViewAsync(page), done, Within, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; console:\n{Lines(console)}", e);
        }
    }

    private static string Lines(List<string> console)
    {
        lock (console)
            return string.Join("\n", console);
    }

    internal sealed record MeetingView(string State, string Self, List<TileView> Tiles, List<string> People)
    {
        public override string ToString() => $"{State}: {string.Join("; ", Tiles)} | people: {string.Join(", ", People)}";
    }

    internal sealed record TileView(string Identity, string Name, string Kind, bool Muted, bool CameraOff, bool Speaking, string Quality, int Frames);
}
