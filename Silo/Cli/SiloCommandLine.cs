using System.CommandLine;

namespace Silo.Cli;

/// <summary>
/// The silo's commands: no arguments (or only configuration overrides such as <c>--Cluster:Provider=...</c>)
/// runs the silo; <c>token</c>, <c>replay</c> and <c>events</c> are offline tools.
/// </summary>
public static class SiloCommandLine
{
    private static readonly string[] Commands = ["token", "replay", "events", "--help", "-h", "-?", "--version"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static int Invoke(string[] args)
    {
        var root = new RootCommand("rtc silo. Without a command it runs the silo; these commands work offline.")
        {
            TokenCommand.Create(),
            ReplayCommand.Create(),
            EventsCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
