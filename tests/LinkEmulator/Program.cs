using System.Net;
using LinkEmulator;

// serve --state DIR --listen IP --base-port P --regions 1=IP,2=IP,... --target-port T
//     the link emulator of scripts/regions.sh (runs until SIGTERM)
// echo --port P [--seconds S]
//     UDP echo server (the regions test runs it inside a namespace)
// ping --bind-port P --to IP:PORT [--count N] [--interval-ms I] [--wait-ms W] [--size B]
//     echo prober; prints {"sent":..,"received":..,"lossPct":..,"rttMinMs":..,"rttMedianMs":..,"rttP95Ms":..}
// relay-echo --self N --port P --peers N=IP:PORT,... --key HEX [--seconds S]
//     relay v2 node answering probes (a line "stop" on stdin ends it); prints its open/drop counters as JSON
// relay-ping --self N --port P --to N --endpoint IP:PORT --key HEX [--count N] [--interval-ms I] [--wait-ms W] [--size B]
//     relay v2 prober; prints {"sent":..,"received":..,"lossPct":..,"rttMinMs":..,"rttMedianMs":..,"rejected":..}
if (args.Length == 0)
    return Usage();
var options = new Dictionary<string, string>();
for (int i = 1; i + 1 < args.Length; i += 2)
    options[args[i].TrimStart('-')] = args[i + 1];
string Option(string name, string? fallback = null) =>
    options.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");

switch (args[0])
{
    case "serve":
        var regions = Option("regions").Split(',')
            .Select(r => r.Split('='))
            .ToDictionary(r => int.Parse(r[0]), r => IPAddress.Parse(r[1]));
        using (var service = new LinkEmulatorService(IPAddress.Parse(Option("listen")), int.Parse(Option("base-port")),
                   regions, int.Parse(Option("target-port")), Option("state")))
        {
            var stop = new ManualResetEventSlim();
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Set(); });
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
            Console.WriteLine($"link emulator up: {regions.Count} regions");
            stop.Wait();
        }
        return 0;
    case "echo":
        EchoServer.Run(int.Parse(Option("port")), TimeSpan.FromSeconds(double.Parse(Option("seconds", "600"))));
        return 0;
    case "ping":
        EchoProbe.Run(int.Parse(Option("bind-port")), IPEndPoint.Parse(Option("to")), int.Parse(Option("count", "100")),
            double.Parse(Option("interval-ms", "10"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("wait-ms", "1000")), int.Parse(Option("size", "64")));
        return 0;
    case "relay-echo":
        RelayProbe.Echo(int.Parse(Option("self")), int.Parse(Option("port")),
            Option("peers").Split(',').Select(p => p.Split('=')).ToDictionary(p => int.Parse(p[0]), p => IPEndPoint.Parse(p[1])),
            Convert.FromHexString(Option("key")), TimeSpan.FromSeconds(double.Parse(Option("seconds", "600"))));
        return 0;
    case "relay-ping":
        RelayProbe.Ping(int.Parse(Option("self")), int.Parse(Option("port")), int.Parse(Option("to")), IPEndPoint.Parse(Option("endpoint")),
            Convert.FromHexString(Option("key")), int.Parse(Option("count", "100")),
            double.Parse(Option("interval-ms", "10"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Option("wait-ms", "1000")), int.Parse(Option("size", "64")));
        return 0;
    default:
        return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: LinkEmulator serve|echo|ping [options] (see Program.cs)");
    return 2;
}
