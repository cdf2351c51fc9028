using System.Diagnostics;
using System.Text.Json;

namespace Rtc.TestSupport;

/// <summary>Runs ffmpeg/ffprobe as processes (never linked: a GPL build) and reads what they say.</summary>
public static class Ffmpeg
{
    /// <summary>Runs a tool to the end; returns its stderr. Throws with that text when it fails or overruns.</summary>
    public static async Task<string> RunAsync(string tool, string arguments, TimeSpan timeout, bool mustSucceed = true) =>
        (await RunWithOutputAsync(tool, arguments, timeout, mustSucceed)).Stderr;

    private static async Task<(string Stderr, string Stdout)> RunWithOutputAsync(string tool, string arguments, TimeSpan timeout, bool mustSucceed)
    {
        var info = new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {arguments} ran over {timeout}");
        }
        string error = await stderr;
        if (mustSucceed && process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {arguments} exited {process.ExitCode}: {error}");
        return (error, await stdout);
    }

    public static async Task<string> StdoutAsync(string tool, string arguments, TimeSpan timeout) =>
        (await RunWithOutputAsync(tool, arguments, timeout, mustSucceed: true)).Stdout;

    /// <summary>ffprobe's streams and format as JSON.</summary>
    public static async Task<JsonElement> ProbeAsync(string file)
    {
        var json = await StdoutAsync("ffprobe", $"-v error -show_streams -show_format -of json \"{file}\"", TimeSpan.FromSeconds(30));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Decodes the whole file; returns what ffmpeg printed at -v error (empty when it decodes cleanly).</summary>
    public static Task<string> DecodeErrorsAsync(string file, string extra = "") =>
        RunAsync("ffmpeg", $"-hide_banner -v error {extra} -i \"{file}\" -f null -", TimeSpan.FromSeconds(60), mustSucceed: false);
}
