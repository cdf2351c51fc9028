using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinkEmulator;

/// <summary>
/// Forwards UDP between regions through one emulated directed link per ordered pair of regions.
/// Region A reaches region B at listen:<see cref="Port"/>(A, B); the datagram must come from A's address,
/// waits out link A->B and leaves from listen:Port(B, A) towards B (B's last sender endpoint on link B->A,
/// else B's address and the target port). B therefore sees A at listen:Port(B, A), the same endpoint it
/// sends to for A: one address per peer, for sending and for the relay's sender-address check.
/// links.conf in the state directory is re-read when it changes; "applied" then holds its generation,
/// and "stats" the counters, rewritten every second.
/// </summary>
public sealed class LinkEmulatorService : IDisposable
{
    private readonly Dictionary<(int From, int To), (Socket Socket, EmulatedLink Link)> _links = new();
    private readonly IReadOnlyDictionary<int, IPAddress> _regions;
    private readonly int _targetPort;
    private readonly string _stateDirectory;
    private readonly DelayLine _delayLine = new();
    private readonly List<Thread> _threads = [];
    private volatile bool _stopped;
    private long _strangers;

    public LinkEmulatorService(IPAddress listen, int basePort, IReadOnlyDictionary<int, IPAddress> regions, int targetPort, string stateDirectory)
    {
        _regions = regions;
        _targetPort = targetPort;
        _stateDirectory = stateDirectory;
        foreach (int from in regions.Keys)
            foreach (int to in regions.Keys.Where(to => to != from))
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(listen, Port(basePort, from, to)));
                socket.ReceiveTimeout = 200;
                _links[(from, to)] = (socket, new EmulatedLink(from, to));
            }
        foreach (var key in _links.Keys)
            Start(() => Receive(key), $"link-{key.From}-{key.To}");
        Start(WatchConfig, "config");
    }

    /// <summary>The port region <paramref name="from"/> sends to to reach region <paramref name="to"/> (regions 1-9).</summary>
    public static int Port(int basePort, int from, int to) => basePort + 10 * from + to;

    private void Start(ThreadStart body, string name)
    {
        var thread = new Thread(body) { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    private void Receive((int From, int To) key)
    {
        var (socket, link) = _links[key];
        var (replySocket, reverse) = _links[(key.To, key.From)];
        var fromAddress = _regions[key.From];
        var defaultTarget = new IPEndPoint(_regions[key.To], _targetPort);
        var buffer = new byte[65536];
        EndPoint source = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopped)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, ref source);
            }
            catch (SocketException)
            {
                continue; // receive timeout: look at _stopped again
            }
            var sender = (IPEndPoint)source;
            if (!sender.Address.Equals(fromAddress))
            {
                Interlocked.Increment(ref _strangers);
                continue;
            }
            if (link.FromEndpoint is not { } known || !known.Equals(sender))
                link.FromEndpoint = new IPEndPoint(sender.Address, sender.Port);
            if (link.Schedule(length, Stopwatch.GetTimestamp()) is not long departure)
                continue;
            _delayLine.Add(departure, buffer.AsSpan(0, length).ToArray(), length, replySocket, reverse.FromEndpoint ?? defaultTarget);
        }
    }

    private void WatchConfig()
    {
        string path = Path.Combine(_stateDirectory, "links.conf");
        DateTime lastWrite = DateTime.MinValue;
        long lastLength = -1;
        var lastStats = Stopwatch.StartNew();
        Apply(path); // an absent file is "no impairment", and "applied" tells the script we are up
        while (!_stopped)
        {
            Thread.Sleep(50);
            var info = new FileInfo(path);
            if (info.Exists && (info.LastWriteTimeUtc != lastWrite || info.Length != lastLength))
            {
                lastWrite = info.LastWriteTimeUtc;
                lastLength = info.Length;
                Apply(path);
            }
            if (lastStats.ElapsedMilliseconds >= 1000)
            {
                WriteStats();
                lastStats.Restart();
            }
        }
    }

    private void Apply(string path)
    {
        var settings = _links.Keys.ToDictionary(k => k, _ => LinkSettings.Clear);
        string generation = "0";
        if (File.Exists(path))
            foreach (var line in File.ReadAllLines(path))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("generation ", StringComparison.Ordinal))
                    generation = trimmed["generation ".Length..].Trim();
                else if (LinkSettings.TryParseLine(trimmed, out int from, out int to, out var link) && settings.ContainsKey((from, to)))
                    settings[(from, to)] = link;
                else if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
                    Console.Error.WriteLine($"links.conf: ignored line '{trimmed}'");
            }
        foreach (var (key, value) in settings)
            _links[key].Link.Settings = value;
        WriteAtomically("applied", generation + "\n");
        Console.WriteLine($"applied generation {generation}: " +
            string.Join("; ", settings.Where(s => s.Value != LinkSettings.Clear).Select(s => $"{s.Key.From}->{s.Key.To} {s.Value}")));
    }

    private void WriteStats()
    {
        var text = new StringBuilder("# from to forwarded lost queue_dropped settings\n");
        foreach (var (key, (_, link)) in _links.OrderBy(l => l.Key))
            text.Append(CultureInfo.InvariantCulture,
                $"{key.From} {key.To} {Interlocked.Read(ref link.Forwarded)} {Interlocked.Read(ref link.Lost)} {Interlocked.Read(ref link.QueueDropped)} {link.Settings}\n");
        text.Append(CultureInfo.InvariantCulture, $"# datagrams from unexpected addresses: {Interlocked.Read(ref _strangers)}\n");
        WriteAtomically("stats", text.ToString());
    }

    private void WriteAtomically(string name, string content)
    {
        string path = Path.Combine(_stateDirectory, name);
        File.WriteAllText(path + ".tmp", content);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public void Dispose()
    {
        _stopped = true;
        foreach (var thread in _threads)
            thread.Join(1000);
        _delayLine.Dispose();
        foreach (var (socket, _) in _links.Values)
            socket.Dispose();
    }
}
