using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Text;

namespace Regions.Tests;

/// <summary>
/// One run of scripts/regions.sh under names of its own: a random prefix, a /24 no interface uses and a
/// random emulator port base, so parallel runs do not collide. Dispose brings the regions down whatever happened.
/// </summary>
internal sealed class RegionsUnderTest : IDisposable
{
    public static readonly string RepositoryRoot = FindRepositoryRoot();
    public static readonly string Script = Path.Combine(RepositoryRoot, "scripts", "regions.sh");
    public static readonly string EmulatorDll = Path.Combine(RepositoryRoot, "tests", "LinkEmulator", "bin", "Release", "net10.0", "LinkEmulator.dll");

    private readonly List<Process> _started = [];

    public RegionsUnderTest()
    {
        Prefix = "rg" + Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6];
        var used = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address.ToString()).ToHashSet();
        do
            Subnet = $"10.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(0, 256)}";
        while (used.Any(a => a.StartsWith(Subnet + ".", StringComparison.Ordinal)));
        do
            BasePort = Random.Shared.Next(300, 590) * 100;
        while (!EmulatorPortsFree(BasePort));
    }

    /// <summary>The emulator binds base+11 .. base+99 on the bridge address: none may be taken on the wildcard.</summary>
    private static bool EmulatorPortsFree(int basePort)
    {
        var taken = IPGlobalProperties.GetIPGlobalProperties().GetActiveUdpListeners()
            .Select(e => e.Port).ToHashSet();
        return Enumerable.Range(basePort + 11, 89).All(port => !taken.Contains(port));
    }

    public string Prefix { get; }

    public string Subnet { get; }

    public int BasePort { get; }

    public const int TargetPort = 7400;

    public string StateDirectory => $"/run/rtc-regions/{Prefix}";

    /// <summary>Runs regions.sh with this run's settings; fails on a non-zero exit or after <paramref name="timeout"/>.</summary>
    public async Task<string> RegionsAsync(TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(Script, arguments);
        return await FinishAsync(process, timeout, "regions.sh " + string.Join(' ', arguments));
    }

    /// <summary>Starts the emulator's tool mode (echo, ping) inside region <paramref name="region"/>'s namespace.</summary>
    public Process StartInRegion(int region, params string[] emulatorArguments)
    {
        var process = Start(Script, ["exec", region.ToString(), "dotnet", EmulatorDll, .. emulatorArguments]);
        _started.Add(process);
        return process;
    }

    public static async Task<string> FinishAsync(Process process, TimeSpan timeout, string what)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish within {timeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{what} exited {process.ExitCode}: {await error} {await output}");
        return await output;
    }

    private Process Start(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["RTC_REGIONS_PREFIX"] = Prefix;
        info.Environment["RTC_REGIONS_SUBNET"] = Subnet;
        info.Environment["RTC_REGIONS_BASE_PORT"] = BasePort.ToString();
        info.Environment["RTC_REGIONS_TARGET_PORT"] = TargetPort.ToString();
        info.StandardOutputEncoding = Encoding.UTF8;
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    /// <summary>What of this run is still on the machine: namespaces, interfaces, state, emulator process.</summary>
    public string[] Leftovers()
    {
        var left = new List<string>();
        if (Directory.Exists("/run/netns"))
            left.AddRange(Directory.GetFiles("/run/netns").Select(Path.GetFileName).Where(n => n!.StartsWith(Prefix + "-", StringComparison.Ordinal))!);
        left.AddRange(NetworkInterface.GetAllNetworkInterfaces().Select(i => i.Name).Where(n => n.StartsWith(Prefix + "-", StringComparison.Ordinal)));
        if (Directory.Exists(StateDirectory))
            left.Add(StateDirectory);
        foreach (var cmdline in Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")))
        {
            try
            {
                var text = File.ReadAllText(cmdline).Replace('\0', ' ');
                if (text.Contains("LinkEmulator.dll serve --state " + StateDirectory + " ", StringComparison.Ordinal))
                    left.Add("emulator process: " + text);
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return [.. left];
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        using var down = Start(Script, ["down"]);
        down.WaitForExit(30_000);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
                return directory.FullName;
        throw new InvalidOperationException("Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
