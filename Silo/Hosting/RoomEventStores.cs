using Grains.Events;

namespace Silo.Hosting;

/// <summary>The event store of a profile, for tools that read the log without a silo (the CLI).</summary>
public static class RoomEventStores
{
    public static IRoomEventStore Create(SiloSettings s) => new InitializingRoomEventStore(s.Provider switch
    {
        ClusterProvider.AzureStorage => AzureStorageProfile.CreateEventStore(s),
        ClusterProvider.PostgreSql => PostgreSqlProfile.CreateEventStore(s),
        _ => EmbeddedProfile.CreateEventStore(s),
    });
}
