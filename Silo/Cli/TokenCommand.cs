using System.CommandLine;
using Gateway.Auth;
using Microsoft.Extensions.Configuration;

namespace Silo.Cli;

/// <summary><c>token --room R --identity I [--publish] [--subscribe] [--admin] [--ttl 1h]</c>: prints only the token.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var room = new Option<string>("--room") { Description = "Room id, or * for any room", Required = true };
        var identity = new Option<string>("--identity") { Description = "Participant identity (sub)", Required = true };
        var publish = new Option<bool>("--publish") { Description = "Grant publish" };
        var subscribe = new Option<bool>("--subscribe") { Description = "Grant subscribe" };
        var admin = new Option<bool>("--admin") { Description = "Grant admin" };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime: 90s, 30m, 1h, 7d", DefaultValueFactory = _ => "1h" };
        var command = new Command("token", "Print an access token signed with the configured API key and secret") { room, identity, publish, subscribe, admin, ttl };
        command.SetAction(parse =>
        {
            if (!TtlParser.TryParse(parse.GetValue(ttl), out var lifetime))
            {
                Console.Error.WriteLine("--ttl must look like 90s, 30m, 1h or 7d.");
                return 2;
            }
            var keys = new ApiKeyOptions();
            CliConfiguration.Load().GetSection(ApiKeyOptions.Section).Bind(keys);
            var grants = (parse.GetValue(publish) ? Grants.Publish : 0)
                | (parse.GetValue(subscribe) ? Grants.Subscribe : 0)
                | (parse.GetValue(admin) ? Grants.Admin : 0);
            Console.Out.WriteLine(AccessTokenIssuer.Create(keys, parse.GetValue(room)!, parse.GetValue(identity)!, grants, lifetime));
            return 0;
        });
        return command;
    }
}
