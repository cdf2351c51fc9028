using Grains.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Grains.Storage.Sqlite;

/// <summary>Registers the embedded SQLite database: grain storage under a name and the room event store.</summary>
public static class SqliteStorageHosting
{
    /// <summary>Adds the database under <paramref name="dataDirectory"/> (once) and the event store on it.</summary>
    public static IServiceCollection AddSqliteRoomEventStore(this IServiceCollection services, string dataDirectory)
    {
        services.TryAddSingleton(_ => new SqliteDatabase(dataDirectory));
        services.TryAddSingleton<IRoomEventStore>(sp => new SqliteRoomEventStore(sp.GetRequiredService<SqliteDatabase>()));
        return services;
    }

    /// <summary>Adds grain storage <paramref name="name"/> on the database under <paramref name="dataDirectory"/>.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, string dataDirectory)
    {
        services.TryAddSingleton(_ => new SqliteDatabase(dataDirectory));
        services.AddGrainStorage(name, (sp, storageName) => new SqliteGrainStorage(storageName,
            sp.GetRequiredService<SqliteDatabase>(),
            new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()),
            sp.GetRequiredService<IActivatorProvider>()));
        return services;
    }
}
