using Grains.Signaling;
using Grains;
using Grains.Interfaces.Signaling;
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
        AddStorage(silo, s.DataDirectory);
    }

    /// <summary>Everything but clustering: SQLite grain storage and event store, memory streams (test clusters use this too).</summary>
    public static void AddStorage(ISiloBuilder silo, string dataDirectory)
    {
        silo.Services.AddRtcGrainServices();
        silo.Services.AddSqliteGrainStorage(StorageNames.Rtc, dataDirectory);
        silo.Services.AddSqliteGrainStorage(StorageNames.PubSub, dataDirectory);
        silo.Services.AddSqliteRoomEventStore(dataDirectory);
        silo.AddRtcMemoryStreams(StorageNames.StreamProvider);
    }

    public static IRoomEventStore CreateEventStore(SiloSettings s) => new SqliteRoomEventStore(new SqliteDatabase(s.DataDirectory));
}
