using System.CommandLine;
using System.Globalization;
using Grains.Events;
using Silo.Hosting;

namespace Silo.Cli;

/// <summary><c>replay --room R [--at 2026-11-24T17:00:00Z]</c>: the room's state at that moment, rebuilt offline from the store, as JSON.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var room = new Option<string>("--room") { Description = "Room id", Required = true };
        var at = new Option<string>("--at") { Description = "ISO 8601 timestamp (default: now, i.e. the whole log)" };
        var command = new Command("replay", "Rebuild a room's state at a moment from its event log, without a silo") { room, at };
        command.SetAction(async (parse, ct) =>
        {
            var moment = DateTimeOffset.MaxValue;
            string? atText = parse.GetValue(at);
            if (atText is not null && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out moment))
            {
                Console.Error.WriteLine("--at must be an ISO 8601 timestamp, e.g. 2026-11-24T17:00:00Z.");
                return 2;
            }
            var store = RoomEventStores.Create(SiloSettings.From(CliConfiguration.Load()));
            var snapshot = await store.ReplayAsync(parse.GetValue(room)!, moment, ct);
            Console.Out.WriteLine(RoomEventJson.SerializeIndented(snapshot));
            return 0;
        });
        return command;
    }
}
