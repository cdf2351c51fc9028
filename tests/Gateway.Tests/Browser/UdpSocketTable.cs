using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Browser;

/// <summary>One UDP socket as `ss -uapn` lists it: local and peer address:port and the owning processes.</summary>
public sealed record UdpSocket(string LocalAddress, int LocalPort, string PeerAddress, string PeerPort, IReadOnlyList<(string Name, int Pid)> Owners);

/// <summary>Runs `ss -uapn` and parses its lines.</summary>
public static partial class UdpSocketTable
{
    public static async Task<(IReadOnlyList<UdpSocket> Sockets, string Raw)> ReadAsync()
    {
        var start = new ProcessStartInfo("ss", "-uapn") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var ss = Process.Start(start) ?? throw new InvalidOperationException("ss did not start");
        string output = await ss.StandardOutput.ReadToEndAsync();
        await ss.WaitForExitAsync();
        if (ss.ExitCode != 0)
            throw new InvalidOperationException($"ss -uapn exited {ss.ExitCode}: {await ss.StandardError.ReadToEndAsync()}");
        return (Parse(output), output);
    }

    // State Recv-Q Send-Q Local:Port Peer:Port Process, e.g.
    // UNCONN 0 0 127.0.0.1:40123 0.0.0.0:* users:(("dotnet",pid=42,fd=300),("dotnet",pid=42,fd=301))
    public static IReadOnlyList<UdpSocket> Parse(string output)
    {
        var sockets = new List<UdpSocket>();
        foreach (var line in output.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || !TrySplit(fields[3], out var localAddress, out var localPort) || !int.TryParse(localPort, out int port))
                continue;
            TrySplit(fields[4], out var peerAddress, out var peerPort);
            var owners = Owner().Matches(line).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value))).ToList();
            sockets.Add(new UdpSocket(localAddress, port, peerAddress, peerPort, owners));
        }
        return sockets;
    }

    private static bool TrySplit(string endpoint, out string address, out string port)
    {
        int colon = endpoint.LastIndexOf(':');
        address = colon < 0 ? endpoint : endpoint[..colon];
        port = colon < 0 ? "" : endpoint[(colon + 1)..];
        return colon > 0;
    }

    [GeneratedRegex("\\(\"([^\"]+)\",pid=(\\d+)")]
    private static partial Regex Owner();
}
