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
            clear.RttMedianMs.Should().BeLessThan(60, "well under the 80 ms set next (a loaded machine adds milliseconds)");

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

    private sealed record RelayPingStats(int Sent, int Received, double LossPct, double RttMinMs, double RttMedianMs, long Rejected);

    private sealed record RelayEchoCounters(long Opened, long UnknownSender, long Malformed, long UnknownKeyId, long Replayed, long AuthenticationFailed);

    [Fact]
    public async Task Relay_v2_probes_cross_an_emulated_link_and_a_validly_sealed_packet_from_an_unknown_address_is_dropped()
    {
        var regions = new RegionsUnderTest();
        string key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        string port = RegionsUnderTest.TargetPort.ToString();
        try
        {
            output.WriteLine(await regions.RegionsAsync(ScriptTimeout, "up"));
            output.WriteLine(await regions.RegionsAsync(ScriptTimeout, "link", "1", "2", "delay", "40ms", "loss", "5%"));
            string oneToTwo = (await regions.RegionsAsync(ScriptTimeout, "endpoint", "1", "2")).Trim();
            string twoToOne = (await regions.RegionsAsync(ScriptTimeout, "endpoint", "2", "1")).Trim();

            var echo = regions.StartInRegion(2, "relay-echo", "--self", "2", "--port", port, "--peers", "1=" + twoToOne, "--key", key, "--seconds", "120");
            (await echo.StandardOutput.ReadLineAsync().WaitAsync(ScriptTimeout)).Should().StartWith("relay echo listening");

            var probes = await RelayPingAsync(regions, region: 1, oneToTwo, key, count: 500);
            // Region 3 holds the cluster key and seals exactly as node 1 would, but sends from its own address,
            // straight to region 2 (not through region 2's known endpoint for node 1).
            var stranger = await RelayPingAsync(regions, region: 3, $"{regions.Subnet}.12:{port}", key, count: 50);
            await echo.StandardInput.WriteLineAsync("stop");
            await echo.StandardInput.FlushAsync();
            string countersJson = (await RegionsUnderTest.FinishAsync(echo, ScriptTimeout, "relay-echo")).Trim();
            output.WriteLine("relay-echo: " + countersJson);
            var counters = JsonSerializer.Deserialize<RelayEchoCounters>(countersJson, Json)!;

            probes.RttMinMs.Should().BeGreaterThanOrEqualTo(39.5, "the 40 ms link is on the path");
            probes.RttMedianMs.Should().BeInRange(40, 90);
            probes.LossPct.Should().BeInRange(1.5, 10, "5% loss on the way there, none back");
            probes.Rejected.Should().Be(0);
            stranger.Received.Should().Be(0);
            counters.UnknownSender.Should().Be(50, "every packet of the unknown address was dropped by the address check");
            counters.Opened.Should().BeInRange(probes.Received, 500);
            counters.AuthenticationFailed.Should().Be(0);
            counters.Replayed.Should().Be(0);
        }
        finally
        {
            regions.Dispose();
        }
        regions.Leftovers().Should().BeEmpty();
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private async Task<RelayPingStats> RelayPingAsync(RegionsUnderTest regions, int region, string endpoint, string key, int count)
    {
        using var ping = regions.StartInRegion(region, "relay-ping", "--self", "1", "--port", RegionsUnderTest.TargetPort.ToString(), "--to", "2",
            "--endpoint", endpoint, "--key", key, "--count", count.ToString(), "--interval-ms", "4", "--wait-ms", "1500", "--size", "1000");
        string json = (await RegionsUnderTest.FinishAsync(ping, ScriptTimeout, "relay-ping")).Trim();
        output.WriteLine($"relay-ping from region {region} to {endpoint}: {json}");
        return JsonSerializer.Deserialize<RelayPingStats>(json, Json)!;
    }

    private async Task<EchoStats> PingAsync(RegionsUnderTest regions, string endpoint, int count, int intervalMs)
    {
        var stopwatch = Stopwatch.StartNew();
        using var ping = regions.StartInRegion(1, "ping", "--bind-port", RegionsUnderTest.TargetPort.ToString(), "--to", endpoint,
            "--count", count.ToString(), "--interval-ms", intervalMs.ToString(), "--wait-ms", "1500");
        string json = (await RegionsUnderTest.FinishAsync(ping, ScriptTimeout, "ping")).Trim();
        output.WriteLine($"ping {count} x {intervalMs} ms: {json} ({stopwatch.Elapsed.TotalSeconds:F1} s)");
        return JsonSerializer.Deserialize<EchoStats>(json, Json)!;
    }
}
