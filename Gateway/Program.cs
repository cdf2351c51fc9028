// Standalone gateway: a stateless web front that joins a cluster as an Orleans client
// (the silo process can host the same gateway in-process instead). See ClusterClientSetup for config.
using Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["Gateway:Urls"] ?? "http://127.0.0.1:8081");
builder.AddRtcClusterClient();
builder.AddRtcGateway();

var app = builder.Build();
app.MapRtcGateway();
try
{
    app.Run();
}
catch (OperationCanceledException)
{
    // Stopped (Ctrl+C, SIGTERM) while still waiting for the cluster: a normal exit, not a crash.
}
