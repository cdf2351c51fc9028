using System.Diagnostics;
using Azure.Data.Tables;
using Grains.Events;
using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Storage.Sqlite;

namespace Benchmarks;

/// <summary>
/// Not a BenchmarkDotNet class: appends N events (default 100,000) to one room, one after another as the
/// room grain does, and prints appends per second over the first and the last 1,000, showing that a
/// room's 100,000th event costs what its first did (one row per event, no growing blob).
/// <c>dotnet run -c Release --project bench/Benchmarks -- eventlog [sqlite|azure|all] [count]</c>;
/// azure uses RTC_TEST_AZURITE or UseDevelopmentStorage=true (Azurite on 127.0.0.1).
/// </summary>
public static class EventLogAppendRun
{
    private const int Window = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        string which = args.Length > 1 ? args[1] : "all";
        int count = args.Length > 2 ? int.Parse(args[2]) : 100_000;
        if (which is "sqlite" or "all")
        {
            string dir = Path.Combine(Path.GetTempPath(), $"rtc-bench-{Guid.NewGuid():N}");
            try
            {
                await MeasureAsync("SQLite (embedded, WAL)", new SqliteRoomEventStore(new SqliteDatabase(dir)), count);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        if (which is "azure" or "all")
        {
            string cs = Environment.GetEnvironmentVariable("RTC_TEST_AZURITE") ?? "UseDevelopmentStorage=true";
            string table = $"RtcBench{Guid.NewGuid():N}"[..24];
            var service = new TableServiceClient(cs);
            try
            {
                await MeasureAsync("Azure Table (Azurite)", new AzureTableRoomEventStore(service, table), count);
            }
            finally
            {
                await service.DeleteTableAsync(table);
            }
        }
        return 0;
    }

    private static async Task MeasureAsync(string name, IRoomEventStore store, int count)
    {
        await store.InitializeAsync();
        string room = "bench-room";
        var t0 = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        double first = 0, last = 0;
        int progressEvery = Math.Max(Window, count / 10 / Window * Window);
        for (int seq = 1; seq <= count; seq++)
        {
            await store.AppendAsync(new RoomEvent
            {
                RoomId = room, Sequence = seq, Timestamp = t0.AddTicks(seq), Type = RoomEventType.Joined,
                Identity = $"participant-{seq}", Permissions = ParticipantPermissions.Publish | ParticipantPermissions.Subscribe, Metadata = "",
            });
            if (seq % Window == 0)
            {
                double rate = Window / window.Elapsed.TotalSeconds;
                if (seq == Window)
                    first = rate;
                last = rate;
                if (seq % progressEvery == 0)
                    Console.Error.WriteLine($"  {name}: {seq:N0} events after {total.Elapsed.TotalSeconds:F0} s; last 1,000 at {rate:N0} appends/s");
                window.Restart();
            }
        }
        var lastPage = await store.ReadAsync(room, count - 100, 100);
        var pageTimer = Stopwatch.StartNew();
        await store.ReadAsync(room, count - 100, 100);
        double pageMs = pageTimer.Elapsed.TotalMilliseconds;
        Console.WriteLine($"{name}: {count:N0} appends to one room in {total.Elapsed.TotalSeconds:F1} s; " +
            $"first {Window:N0}: {first:N0} appends/s; last {Window:N0}: {last:N0} appends/s; " +
            $"last sequence {await store.GetLastSequenceAsync(room):N0}; reading the last page of 100 took {pageMs:F1} ms ({lastPage.Length} events)");
    }
}
