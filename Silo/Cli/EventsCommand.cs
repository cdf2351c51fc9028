using System.CommandLine;
using Grains.Events;
using Silo.Hosting;

namespace Silo.Cli;

/// <summary><c>events --room R [--after N] [--limit N]</c>: a page of the room's log, one JSON event per line.</summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var room = new Option<string>("--room") { Description = "Room id", Required = true };
        var after = new Option<long>("--after") { Description = "Print events after this sequence", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "At most this many events", DefaultValueFactory = _ => 100 };
        var command = new Command("events", "Print a page of a room's event log, without a silo") { room, after, limit };
        command.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(limit);
            long a = parse.GetValue(after);
            if (n < 1 || a < 0)
            {
                Console.Error.WriteLine("--limit must be positive and --after not negative.");
                return 2;
            }
            var store = RoomEventStores.Create(SiloSettings.From(CliConfiguration.Load()));
            foreach (var e in await store.ReadAsync(parse.GetValue(room)!, a, n, ct))
                Console.Out.WriteLine(RoomEventJson.Serialize(e));
            return 0;
        });
        return command;
    }
}
