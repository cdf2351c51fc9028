using Grains;
using Grains.Events;
using Grains.Storage.Sqlite;

namespace Silo.Hosting;

/// <summary>
/// The embedded default: one silo on localhost clustering; grain state and room logs in one SQLite file
/// (<c>{Storage:DataDirectory}/rtc.db</c>); memory streams.
/// </summary>
public static class EmbeddedProfile
{
    public static void Configure(ISiloBuilder silo, SiloSettings s)
    {
        silo.UseLocalhostClustering(s.SiloPort, s.GatewayPort, serviceId: s.ServiceId, clusterId: s.ClusterId);
        silo.Services.AddSqliteGrainStorage(StorageNames.Rtc, s.DataDirectory);
        silo.Services.AddSqliteGrainStorage(StorageNames.PubSub, s.DataDirectory);
        silo.Services.AddSqliteRoomEventStore(s.DataDirectory);
        silo.AddMemoryStreams(StorageNames.StreamProvider);
    }

    public static IRoomEventStore CreateEventStore(SiloSettings s) => new SqliteRoomEventStore(new SqliteDatabase(s.DataDirectory));
}
