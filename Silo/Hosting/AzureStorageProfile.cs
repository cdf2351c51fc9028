using Azure.Data.Tables;
using Azure.Storage.Queues;
using Grains;
using Grains.Events;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Silo.Hosting;

/// <summary>
/// The cluster profile on Azure Storage, everything from one connection string (<c>UseDevelopmentStorage=true</c>
/// reaches Azurite): Azure Table membership, Azure Table grain state (written with Orleans' own serializer,
/// like the other profiles), Azure Queue streams, room logs in an Azure table partitioned by room.
/// </summary>
public static class AzureStorageProfile
{
    public const int QueueCount = 4;

    public static void Configure(ISiloBuilder silo, SiloSettings s)
    {
        silo.Configure<ClusterOptions>(o => { o.ClusterId = s.ClusterId; o.ServiceId = s.ServiceId; });
        // Listen on the advertised address only, not every interface of the host.
        silo.ConfigureEndpoints(s.AdvertisedAddress, s.SiloPort, s.GatewayPort, listenOnAnyHostAddress: false);
        silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
        silo.Services.AddRtcGrainServices();
        silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(s.ConnectionString));
        AddGrainStorage(silo, StorageNames.Rtc, s);
        AddGrainStorage(silo, StorageNames.PubSub, s);
        silo.AddAzureQueueStreams(StorageNames.StreamProvider, ob => ob.Configure(o =>
        {
            o.QueueServiceClient = new QueueServiceClient(s.ConnectionString);
            o.QueueNames = QueueNames(s.ServiceId);
        }));
        silo.Services.AddSingleton<IRoomEventStore>(_ => new InitializingRoomEventStore(CreateEventStore(s)));
        silo.Services.AddSingleton<Grains.Recordings.IRecordingStore>(_ => new Grains.Recordings.BlobRecordingStore(
            new Azure.Storage.Blobs.BlobContainerClient(s.ConnectionString, s.RecordingContainer)));
    }

    public static IRoomEventStore CreateEventStore(SiloSettings s) =>
        new AzureTableRoomEventStore(new TableServiceClient(s.ConnectionString), s.EventTable);

    /// <summary>Queue names (shared with the standalone gateway's client, which must use the same ones).</summary>
    public static List<string> QueueNames(string serviceId) => Grains.Interfaces.Signaling.RtcStreams.QueueNames(serviceId, QueueCount);

    private static void AddGrainStorage(ISiloBuilder silo, string name, SiloSettings s) =>
        silo.AddAzureTableGrainStorage(name, ob => ob.Configure<Serializer>((o, serializer) =>
        {
            o.TableServiceClient = new TableServiceClient(s.ConnectionString);
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
}
