using System.Collections.Immutable;
using System.Globalization;
using Azure.Data.Tables;
using Grains.Interfaces.Events;

namespace Grains.Events;

/// <summary>
/// Event log in an Azure table (Azurite locally), one entity per event. A room's log is split into
/// partitions of <see cref="BucketSize"/> events: PartitionKey = <c>{room}~{bucket:D12}</c>, RowKey = sequence
/// zero-padded to 19 digits, so key order is sequence order; properties <c>Ts</c> and <c>Json</c> (the event).
/// Each bucket also holds a <c>head</c> row with its last sequence, written in the same entity-group
/// transaction as the event.
/// </summary>
/// <remarks>
/// Why buckets and not one partition per room: Azurite looks an entity up by scanning its partition, so
/// with one partition per room every append got slower as the room's log grew (measured: 369 appends/s
/// at 10,000 events, 48 at 20,000). Bounded partitions keep appends flat on Azurite and cost nothing on
/// Azure. Reading a page touches one or two partitions; finding the last sequence probes bucket heads
/// (about 2·log2(buckets) point reads).
/// </remarks>
public sealed class AzureTableRoomEventStore(TableServiceClient service, string tableName = AzureTableRoomEventStore.DefaultTableName) : IRoomEventStore
{
    public const string DefaultTableName = "RtcRoomEvents";
    public const int BucketSize = 1000;
    private const string HeadRowKey = "head";

    private readonly TableClient _table = service.GetTableClient(tableName);

    public static string RowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Partition of an event: room ids never contain '~'.</summary>
    public static string PartitionKey(string roomId, long bucket) => $"{roomId}~{bucket.ToString("D12", CultureInfo.InvariantCulture)}";

    public static long BucketOf(long sequence) => sequence / BucketSize;

    public async Task InitializeAsync(CancellationToken cancellationToken = default) =>
        await _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken = default)
    {
        string json = RoomEventJson.Serialize(roomEvent);
        string partition = PartitionKey(roomEvent.RoomId, BucketOf(roomEvent.Sequence));
        var entity = new TableEntity(partition, RowKey(roomEvent.Sequence))
        {
            ["Ts"] = roomEvent.Timestamp,
            ["Json"] = json,
        };
        var head = new TableEntity(partition, HeadRowKey) { ["Last"] = roomEvent.Sequence };
        try
        {
            await _table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, entity),
                 new TableTransactionAction(TableTransactionActionType.UpsertReplace, head)],
                cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(partition, RowKey(roomEvent.Sequence), ["Json"], cancellationToken);
            if (!existing.HasValue || existing.Value!.GetString("Json") != json)
                throw new EventSequenceConflictException(roomEvent.RoomId, roomEvent.Sequence);
        }
    }

    public async Task<ImmutableArray<RoomEvent>> ReadAsync(string roomId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var events = ImmutableArray.CreateBuilder<RoomEvent>();
        long after = afterSequence;
        for (long bucket = BucketOf(after + 1); events.Count < limit; bucket++)
        {
            int wanted = limit - events.Count;
            // Event rows are all digits; the head row ("head") sorts after them and is excluded by the upper bound.
            string filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {PartitionKey(roomId, bucket)} and RowKey gt {RowKey(after)} and RowKey lt {":"}");
            int read = 0;
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(wanted, 1000), select: ["Json"], cancellationToken: cancellationToken))
            {
                var e = RoomEventJson.Deserialize(entity.GetString("Json"));
                events.Add(e);
                after = e.Sequence;
                if (++read == wanted)
                    break;
            }
            // Sequences are gap-free: the next bucket can only have events if this one is full up to its end.
            if (after != (bucket + 1) * BucketSize - 1)
                break;
        }
        return events.ToImmutable();
    }

    public async Task<long> GetLastSequenceAsync(string roomId, CancellationToken cancellationToken = default)
    {
        // Buckets fill in order, so the buckets with a head are 0..k: find k by doubling, then bisecting.
        if (await HeadAsync(roomId, 0, cancellationToken) is not { } first)
            return 0;
        long low = 0, lowHead = first, high = 1;
        while (await HeadAsync(roomId, high, cancellationToken) is { } h)
        {
            (low, lowHead) = (high, h);
            high *= 2;
        }
        while (high - low > 1)
        {
            long mid = low + (high - low) / 2;
            if (await HeadAsync(roomId, mid, cancellationToken) is { } h)
                (low, lowHead) = (mid, h);
            else
                high = mid;
        }
        return lowHead;
    }

    private async Task<long?> HeadAsync(string roomId, long bucket, CancellationToken cancellationToken)
    {
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(PartitionKey(roomId, bucket), HeadRowKey, ["Last"], cancellationToken);
        return head.HasValue ? head.Value!.GetInt64("Last") : null;
    }
}
