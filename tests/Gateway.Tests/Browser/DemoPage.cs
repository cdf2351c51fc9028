using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>The demo page as the browser tests drive it: opened already joined to a room, and left again.</summary>
internal static class DemoPage
{
    /// <summary>A page in its own browser context that joins <paramref name="room"/> at once (room and token in the URL fragment).</summary>
    /// <param name="console">Collects the page's console lines and errors, prefixed with the identity, when given.</param>
    /// <param name="extraFragment">More fragment parameters, e.g. "&amp;simulcast=1".</param>
    public static async Task<IPage> OpenAsync(IBrowser browser, SiloProcessFixture silo, string room, string identity, string mode, Grants grants,
        List<string>? console = null, string extraFragment = "")
    {
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        if (console is not null)
        {
            page.Console += (_, m) => { lock (console) console.Add($"{identity}: {m.Text}"); };
            page.PageError += (_, e) => { lock (console) console.Add($"{identity}: page error {e}"); };
        }
        string token = silo.Token(room, identity, grants);
        await page.GotoAsync(new Uri(silo.BaseAddress, $"/#room={room}&token={token}&mode={mode}{extraFragment}").ToString());
        return page;
    }

    /// <summary>Ends the pages' sessions even when an assertion failed, so that the next test starts from a silo without sessions.</summary>
    public static async Task LeaveAsync(IEnumerable<IPage> pages)
    {
        foreach (var page in pages)
        {
            try { await page.EvaluateAsync("() => window.rtcDemo.stop()"); }
            catch (PlaywrightException) { }
        }
    }
}
