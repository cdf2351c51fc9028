using Microsoft.Extensions.Configuration;

namespace Silo.Cli;

/// <summary>The configuration the silo would use (appsettings.json, then environment variables), for offline commands.</summary>
internal static class CliConfiguration
{
    public static IConfiguration Load() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}
