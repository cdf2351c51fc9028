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
    }
}
