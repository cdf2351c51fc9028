using System.Collections.Immutable;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Grains.Interfaces.Events;

namespace Grains.Events;

/// <summary>
/// Event log in an Azure table (Azurite locally): PartitionKey = room id, RowKey = sequence zero-padded
/// to 19 digits (so row order is sequence order), properties <c>Ts</c> and <c>Json</c> (the event). Each
/// room also has one <c>head</c> row holding its last sequence, written in the same entity-group
/// transaction as the event, so <see cref="GetLastSequenceAsync"/> is one point read.
/// </summary>
public sealed class AzureTableRoomEventStore(TableServiceClient service, string tableName = AzureTableRoomEventStore.DefaultTableName) : IRoomEventStore
{
    public const string DefaultTableName = "RtcRoomEvents";
    private const string HeadRowKey = "head";

    private readonly TableClient _table = service.GetTableClient(tableName);

    public static string RowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    public async Task InitializeAsync(CancellationToken cancellationToken = default) =>
        await _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken = default)
    {
        string json = RoomEventJson.Serialize(roomEvent);
        var entity = new TableEntity(roomEvent.RoomId, RowKey(roomEvent.Sequence))
        {
            ["Ts"] = roomEvent.Timestamp,
            ["Json"] = json,
        };
        var head = new TableEntity(roomEvent.RoomId, HeadRowKey) { ["Last"] = roomEvent.Sequence };
        try
        {
            await _table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, entity),
                 new TableTransactionAction(TableTransactionActionType.UpsertReplace, head)],
                cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(roomEvent.RoomId, RowKey(roomEvent.Sequence),
                ["Json"], cancellationToken);
            if (!existing.HasValue || existing.Value!.GetString("Json") != json)
                throw new EventSequenceConflictException(roomEvent.RoomId, roomEvent.Sequence);
        }
    }

    public async Task<ImmutableArray<RoomEvent>> ReadAsync(string roomId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // Event rows are all digits; the head row ("head") sorts after them and is excluded by the upper bound.
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {roomId} and RowKey gt {RowKey(afterSequence)} and RowKey lt {":"}");
        var events = ImmutableArray.CreateBuilder<RoomEvent>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), select: ["Json"], cancellationToken: cancellationToken))
        {
            events.Add(RoomEventJson.Deserialize(entity.GetString("Json")));
            if (events.Count == limit)
                break;
        }
        return events.ToImmutable();
    }

    public async Task<long> GetLastSequenceAsync(string roomId, CancellationToken cancellationToken = default)
    {
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(roomId, HeadRowKey, ["Last"], cancellationToken);
        return head.HasValue ? head.Value!.GetInt64("Last") ?? 0 : 0;
    }
}
