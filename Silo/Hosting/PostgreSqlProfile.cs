using Grains.Signaling;
using Grains;
using Grains.Events;
using Grains.Interfaces.Signaling;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Silo.Hosting;

/// <summary>
/// The cluster profile on PostgreSQL: Orleans' ADO.NET membership and grain state (schema applied by
/// <see cref="PostgreSqlSchema"/> before the silo starts), room logs in <c>rtc_room_events</c>, memory streams.
/// </summary>
public static class PostgreSqlProfile
{
    public const string Invariant = "Npgsql";

    public static void Configure(ISiloBuilder silo, SiloSettings s)
    {
        silo.Configure<ClusterOptions>(o => { o.ClusterId = s.ClusterId; o.ServiceId = s.ServiceId; });
        // Listen on the advertised address only, not every interface of the host.
        silo.ConfigureEndpoints(s.AdvertisedAddress, s.SiloPort, s.GatewayPort, listenOnAnyHostAddress: false);
        silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
        silo.Services.AddRtcGrainServices();
        silo.UseAdoNetClustering(o => { o.Invariant = Invariant; o.ConnectionString = s.ConnectionString; });
        AddGrainStorage(silo, StorageNames.Rtc, s);
        AddGrainStorage(silo, StorageNames.PubSub, s);
        silo.AddRtcMemoryStreams(StorageNames.StreamProvider);
        silo.Services.AddSingleton<IRoomEventStore>(_ => new InitializingRoomEventStore(CreateEventStore(s)));
    }

    public static IRoomEventStore CreateEventStore(SiloSettings s) =>
        new PostgresRoomEventStore(NpgsqlDataSource.Create(s.ConnectionString));

    private static void AddGrainStorage(ISiloBuilder silo, string name, SiloSettings s) =>
        silo.AddAdoNetGrainStorage(name, ob => ob.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = s.ConnectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
}
