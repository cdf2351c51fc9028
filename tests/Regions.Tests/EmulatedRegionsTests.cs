using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Regions.Tests;

/// <summary>
/// scripts/regions.sh end to end: four namespaces, one directed link impaired while running, UDP echoes
/// measured across it, then everything removed. Bounded waits throughout; cleanup runs even on failure.
/// </summary>
public sealed class EmulatedRegionsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private sealed record EchoStats(int Sent, int Received, double LossPct, double RttMinMs, double RttMedianMs, double RttP95Ms);

    [Fact]
    public async Task An_80ms_5pct_loss_link_set_while_running_shows_in_udp_echoes_and_down_leaves_nothing()
    {
        var regions = new RegionsUnderTest();
        try
        {
            output.WriteLine(await regions.RegionsAsync(ScriptTimeout, "up"));
            output.WriteLine(await regions.RegionsAsync(ScriptTimeout, "status"));
            string endpoint = (await regions.RegionsAsync(ScriptTimeout, "endpoint", "1", "2")).Trim();
            endpoint.Should().Be($"{regions.Subnet}.1:{regions.BasePort + 12}");

            var echo = regions.StartInRegion(2, "echo", "--port", RegionsUnderTest.TargetPort.ToString(), "--seconds", "120");
            (await echo.StandardOutput.ReadLineAsync().WaitAsync(ScriptTimeout)).Should().StartWith("echo listening");

            var clear = await PingAsync(regions, endpoint, count: 200, intervalMs: 5);
            clear.Received.Should().BeGreaterThan(195, "an unimpaired link loses (almost) nothing");
            clear.RttMedianMs.Should().BeLessThan(30);

            output.WriteLine(await regions.RegionsAsync(ScriptTimeout, "link", "1", "2", "delay", "80ms", "loss", "5%"));
            var impaired = await PingAsync(regions, endpoint, count: 1000, intervalMs: 2);

            impaired.RttMinMs.Should().BeGreaterThanOrEqualTo(79.5, "no echo beats the 80 ms delay");
            impaired.RttMedianMs.Should().BeInRange(80, 130);
            impaired.LossPct.Should().BeInRange(2.5, 8.5, "5% loss over 1,000 probes (±3.6 standard deviations, some slack for a loaded machine)");
            output.WriteLine(await regions.RegionsAsync(ScriptTimeout, "status"));
        }
        finally
        {
            regions.Dispose();
        }
        regions.Leftovers().Should().BeEmpty("down removes namespaces, interfaces, state and the emulator");
        (await regions.RegionsAsync(ScriptTimeout, "down")).Should().Contain("down", "down is idempotent");
    }

    private async Task<EchoStats> PingAsync(RegionsUnderTest regions, string endpoint, int count, int intervalMs)
    {
        var stopwatch = Stopwatch.StartNew();
        using var ping = regions.StartInRegion(1, "ping", "--bind-port", RegionsUnderTest.TargetPort.ToString(), "--to", endpoint,
            "--count", count.ToString(), "--interval-ms", intervalMs.ToString(), "--wait-ms", "1500");
        string json = (await RegionsUnderTest.FinishAsync(ping, ScriptTimeout, "ping")).Trim();
        output.WriteLine($"ping {count} x {intervalMs} ms: {json} ({stopwatch.Elapsed.TotalSeconds:F1} s)");
        return JsonSerializer.Deserialize<EchoStats>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }
}
