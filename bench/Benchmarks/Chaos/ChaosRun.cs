using System.Diagnostics;
using Gateway.Api;

namespace Benchmarks.Chaos;

/// <summary>
/// The clients of scripts/chaos.sh: R rooms, each with P publishers and S subscribers of our own client, kept
/// connected while the script kills and pauses the cluster's processes. Once the script has put everything back
/// (it creates the --until-file), the run checks that every client has media again, then lets every client leave
/// and checks that no session is left on a node or in a grain and that every room's log is complete and agrees with
/// what the clients did. Prints the counts; exit code 1 when anything was lost.
/// Usage: chaos --gateways URL1,URL2 --api-key K --api-secret S --until-file F [--rooms 3] [--publishers 1]
///        [--subscribers 2] [--settle-seconds 90] [--converge-seconds 180]
/// </summary>
public static class ChaosRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var gateways = (Arg(args, "--gateways") ?? throw new ArgumentException("--gateways URL1,URL2 is required")).Split(',');
        string untilFile = Arg(args, "--until-file") ?? throw new ArgumentException("--until-file is required");
        int rooms = int.Parse(Arg(args, "--rooms") ?? "3"), publishers = int.Parse(Arg(args, "--publishers") ?? "1");
        int subscribers = int.Parse(Arg(args, "--subscribers") ?? "2");
        var settle = TimeSpan.FromSeconds(int.Parse(Arg(args, "--settle-seconds") ?? "90"));
        var converge = TimeSpan.FromSeconds(int.Parse(Arg(args, "--converge-seconds") ?? "180"));
        using var api = new ChaosApi(gateways, Arg(args, "--api-key") ?? "", Arg(args, "--api-secret") ?? "");
        var clock = Stopwatch.StartNew();

        string run = Guid.NewGuid().ToString("N")[..6];
        var roomIds = Enumerable.Range(0, rooms).Select(r => $"chaos-{run}-{r}").ToList();
        foreach (var room in roomIds)
            await api.PostAsync("/v1/rooms", new CreateRoomRequest(RoomId: room, EmptyTimeoutSeconds: 3600, KickBanSeconds: 0), TimeSpan.FromSeconds(60));
        var clients = new List<ChaosClient>();
        int number = 0;
        foreach (var room in roomIds)
        {
            for (int p = 0; p < publishers; p++)
                clients.Add(new ChaosClient(api, room, $"pub{p}", number++, publisher: true));
            for (int s = 0; s < subscribers; s++)
                clients.Add(new ChaosClient(api, room, $"sub{s}", number++, publisher: false));
        }
        using var stop = new CancellationTokenSource();
        var watchers = roomIds.Select(r => new RoomWatcher(api, gateways, r, clients.Where(c => c.Room == r).ToList())).ToList();
        var watching = watchers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        var running = clients.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToList();
        Console.WriteLine($"chaos: {clients.Count} clients in {rooms} rooms ({publishers} publisher(s) and {subscribers} subscriber(s) each); load runs until {untilFile} exists");

        while (!File.Exists(untilFile))
            await Task.Delay(1000);
        Console.WriteLine($"chaos: faults over at {clock.Elapsed.TotalSeconds:F0} s; waiting up to {settle.TotalSeconds:F0} s for every client's media");

        // Every client has media again: each subscriber hears each publisher of its room, and each publisher is heard.
        var window = TimeSpan.FromSeconds(3);
        bool HasMedia(ChaosClient c) => c.IsPublisher
            ? c.IsConnected(window) && clients.Where(s => s.Room == c.Room && !s.IsPublisher).All(s => s.HeardFrom(c.Number, window))
            : clients.Where(p => p.Room == c.Room && p.IsPublisher).All(p => c.HeardFrom(p.Number, window));
        var settleClock = Stopwatch.StartNew();
        while (settleClock.Elapsed < settle && !clients.All(HasMedia))
            await Task.Delay(500);
        var withoutMedia = clients.Where(c => !HasMedia(c)).ToList();
        var askedWithoutMedia = withoutMedia.Where(c => c.WasAskedToReconnect).ToList();
        Console.WriteLine($"chaos: media back for {clients.Count - withoutMedia.Count} of {clients.Count} clients after {settleClock.Elapsed.TotalSeconds:F1} s"
            + (withoutMedia.Count == 0 ? "" : $"; without media: {string.Join(' ', withoutMedia.Select(c => $"{c.Room}/{c.Identity}"))}"));

        stop.Cancel();
        await Task.WhenAll(running);
        await Task.WhenAll(watching);
        await Task.WhenAll(clients.Select(c => c.LeaveAsync()));

        // No session left open: nodes report none, and no room has a participant (a grain's session keeps its participant).
        var convergeClock = Stopwatch.StartNew();
        int nodeSessions = -1, participantsLeft = -1;
        while (convergeClock.Elapsed < converge)
        {
            var nodes = await api.GetAsync<NodeListDto>("/v1/nodes", TimeSpan.FromSeconds(60));
            nodeSessions = nodes.Nodes.Where(n => n.Live).Sum(n => n.Sessions ?? 0);
            participantsLeft = 0;
            foreach (var room in roomIds)
                participantsLeft += (await api.GetAsync<ParticipantListDto>($"/v1/rooms/{Uri.EscapeDataString(room)}/participants", TimeSpan.FromSeconds(60))).Participants.Count;
            if (nodeSessions == 0 && participantsLeft == 0)
                break;
            await Task.Delay(2000);
        }
        Console.WriteLine($"chaos: after the clients left: {nodeSessions} session(s) on live nodes, {participantsLeft} participant(s) in the rooms ({convergeClock.Elapsed.TotalSeconds:F0} s)");

        var checks = new List<RoomLogCheck.Result>();
        foreach (var room in roomIds)
            checks.Add(await RoomLogCheck.CheckAsync(api, room, clients.Where(c => c.Room == room).ToList()));
        foreach (var problem in checks.SelectMany(c => c.Problems.Select(p => $"{c.Room}: {p}")))
            Console.WriteLine($"chaos: LOG {problem}");

        int problems = checks.Sum(c => c.Problems.Count);
        Console.WriteLine($"chaos: sessions opened {clients.Sum(c => c.SessionIds.Count)}, reconnects {clients.Sum(c => c.Reconnects)}, failed opens {clients.Sum(c => c.FailedOpens)}, "
            + $"reconnect requests {watchers.Sum(w => w.ReconnectRequests)} (clients asked: {clients.Count(c => c.WasAskedToReconnect)}, of them without media at the end: {askedWithoutMedia.Count}), "
            + $"notification sockets opened {watchers.Sum(w => w.SocketsOpened)}");
        Console.WriteLine($"chaos: events checked {checks.Sum(c => c.EventsChecked)} in {rooms} room logs, log problems {problems}, "
            + $"clients without media {withoutMedia.Count}, sessions left on nodes {nodeSessions}, participants left {participantsLeft}");
        bool lost = withoutMedia.Count > 0 || problems > 0 || nodeSessions != 0 || participantsLeft != 0;
        Console.WriteLine(lost ? "chaos: FAILED (something was lost)" : "chaos: OK (nothing lost)");
        return lost ? 1 : 0;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
