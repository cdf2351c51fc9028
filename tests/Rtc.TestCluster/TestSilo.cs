using Gateway.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Rtc.TestSupport;
using Silo.Hosting;

namespace Rtc.TestCluster;

/// <summary>
/// The real silo host in this process, as `dotnet run --project Silo` builds it (gateway in process, media node on its
/// single UDP port), on free loopback ports: the suite's one in-process silo launcher (<see cref="SiloProcess"/> is the
/// child-process one, for tests that SIGKILL it). <paramref name="settings"/> are more command-line settings; a key
/// given there wins over the defaults here.
/// </summary>
public static class TestSilo
{
    public static WebApplication Build(string dataDirectory, ApiKeyOptions keys, params string[] settings) =>
        SiloHost.Build([
            "--urls", "http://127.0.0.1:0",
            "--Storage:DataDirectory", dataDirectory,
            "--Silo:SiloPort", FreePorts.Tcp().ToString(),
            "--Silo:GatewayPort", FreePorts.Tcp().ToString(),
            "--MediaPort:BindAddress", "127.0.0.1",
            "--MediaPort:Port", "0",
            "--RelayPort:BindAddress", "127.0.0.1",
            "--RelayPort:Port", "0",
            "--Auth:ApiKey", keys.ApiKey,
            "--Auth:ApiSecret", keys.ApiSecret,
            // Configured levels beat SetMinimumLevel; keep test output to what helps read a failure.
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Polly", "Warning",
            .. settings,
        ], b => b.Logging.SetMinimumLevel(LogLevel.Warning));
}
