using System.Diagnostics;
using System.Text;

namespace Rtc.TestCluster;

/// <summary>
/// The real silo (<c>dotnet Silo.dll</c>) as a child process, configured by environment variables exactly
/// as a deployment would be. <see cref="Kill"/> is SIGKILL: no shutdown code runs.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var process = new Process { StartInfo = DotnetSilo(workingDirectory, environment) };
        process.StartInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Silo.dll"));
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(silo._started.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (started != silo._started.Task)
        {
            // Read before disposing: a disposed Process has no state to ask.
            bool exited = process.HasExited;
            await silo.DisposeAsync();
            throw new InvalidOperationException($"The silo did not start (exited: {exited}). Output:\n{silo.Output}");
        }
        return silo;
    }

    /// <summary>Runs an offline CLI command of the silo with the same environment; returns stdout.</summary>
    public static async Task<string> RunCommandAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        using var process = new Process { StartInfo = DotnetSilo(workingDirectory, environment) };
        process.StartInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Silo.dll"));
        foreach (var a in args)
            process.StartInfo.ArgumentList.Add(a);
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"silo {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>SIGKILL, then wait for the process to be gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        if (line.StartsWith("rtc silo:", StringComparison.Ordinal))
            _started.TrySetResult();
    }

    private static ProcessStartInfo DotnetSilo(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (k, v) in environment)
            info.Environment[k] = v;
        return info;
    }
}
