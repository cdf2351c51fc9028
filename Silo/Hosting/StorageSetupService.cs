namespace Silo.Hosting;

/// <summary>
/// Prepares the profile's database before Orleans starts (registered ahead of the silo, and hosted services
/// start in order): the PostgreSQL schema. The other profiles create their tables on first use.
/// </summary>
public sealed class StorageSetupService(SiloSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Provider == ClusterProvider.PostgreSql)
            await PostgreSqlSchema.ApplyAsync(settings.ConnectionString, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
