using Azure.Data.Tables;
using Grains.Events;
using Grains.Tests.Fixtures;

namespace Grains.Tests.Events;

/// <summary>Against Azurite (RTC_TEST_AZURITE); a table per test class run.</summary>
public sealed class AzureTableRoomEventStoreTests : RoomEventStoreContract
{
    private static readonly string Table = $"RtcEventsTest{Guid.NewGuid():N}"[..30];

    protected override Task<IRoomEventStore> CreateStoreAsync() =>
        Task.FromResult<IRoomEventStore>(new AzureTableRoomEventStore(new TableServiceClient(TestServers.Azurite), Table));

    [Fact]
    public void Row_keys_sort_as_sequences_do()
    {
        AzureTableRoomEventStore.RowKey(1).Should().Be("0000000000000000001");
        string.CompareOrdinal(AzureTableRoomEventStore.RowKey(99), AzureTableRoomEventStore.RowKey(100)).Should().BeNegative();
        AzureTableRoomEventStore.RowKey(long.MaxValue).Should().HaveLength(19);
        string.CompareOrdinal(AzureTableRoomEventStore.PartitionKey("r", 9), AzureTableRoomEventStore.PartitionKey("r", 10)).Should().BeNegative();
    }

    [Fact]
    public async Task Pages_and_the_last_sequence_cross_partition_boundaries()
    {
        var store = await CreateStoreAsync();
        await store.InitializeAsync();
        string room = $"buckets-{Guid.NewGuid():N}";
        int count = 2 * AzureTableRoomEventStore.BucketSize + 5;
        for (int i = 1; i <= count; i++)
            await store.AppendAsync(Event(room, i));

        var page = await store.ReadAsync(room, 990, 20);
        var all = new List<long>();
        await foreach (var e in store.ReadAllAsync(room))
            all.Add(e.Sequence);

        page.Select(e => e.Sequence).Should().Equal(Enumerable.Range(991, 20).Select(i => (long)i));
        all.Should().Equal(Enumerable.Range(1, count).Select(i => (long)i));
        (await store.GetLastSequenceAsync(room)).Should().Be(count);
        (await store.ReadAsync(room, 999, 1)).Single().Sequence.Should().Be(1000);
        (await store.ReadAsync(room, count, 10)).Should().BeEmpty();
    }
}
