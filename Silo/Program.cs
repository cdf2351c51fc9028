using Silo.Cli;
using Silo.Hosting;

// `dotnet run --project Silo` runs the silo (embedded default); `-- token|replay|events ...` are tools.
if (SiloCommandLine.IsCommand(args))
    return SiloCommandLine.Invoke(args);

var app = SiloHost.Build(args);
await app.StartAsync();
SiloHost.PrintBanner(app);
await app.WaitForShutdownAsync();
return 0;
