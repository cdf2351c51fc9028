using System.Diagnostics;
using FluentAssertions;
using Grains.Interfaces.Signaling.Queues;
using Grains.Signaling;
using Grains.Tests.Fixtures;
using Orleans.Runtime;

namespace Grains.Tests.Signaling;

/// <summary>The signal queue grain behind the in-memory signaling streams: order, long polls, limits.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SignalQueueTests(ClusterFixture fixture)
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(10);

    private ISignalQueueGrain NewQueue() => fixture.Grains.GetGrain<ISignalQueueGrain>($"test/{Guid.NewGuid():N}");

    /// <summary>A new queue holding one batch per text, in order.</summary>
    private async Task<ISignalQueueGrain> QueueWithAsync(params string[] texts)
    {
        var queue = NewQueue();
        foreach (string text in texts)
            await queue.Enqueue(Batch(text));
        return queue;
    }

    internal static SignalQueueBatch Batch(string text) => new(StreamId.Create("test", "s1"), new object[] { text }, null);

    internal static IEnumerable<string> Texts(IEnumerable<SignalQueueBatch> batches) => batches.Select(b => b.GetEvents<string>().Single().Item1);

    /// <summary>A reader's silo that stays alive: pulls from it are held until acknowledged.</summary>
    private SiloAddress LiveSilo => fixture.Cluster.Silos[0].SiloAddress;

    [Fact]
    public async Task Batches_come_out_in_order_with_growing_sequence_numbers_and_at_most_the_asked_count()
    {
        var queue = await QueueWithAsync("a", "b", "c");

        var first = await queue.Dequeue(2, TimeSpan.Zero, Guid.NewGuid());
        var rest = await queue.Dequeue(10, TimeSpan.Zero, Guid.NewGuid());

        first.Select(b => b.GetEvents<string>().Single().Item1).Should().Equal("a", "b");
        rest.Select(b => b.GetEvents<string>().Single().Item1).Should().Equal("c");
        first.Concat(rest).Select(b => b.SequenceNumber).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Sequence_numbers_keep_growing_when_the_queue_is_activated_again()
    {
        var queue = NewQueue();
        await queue.Enqueue(Batch("before"));
        long before = (await queue.Dequeue(1, TimeSpan.Zero, Guid.NewGuid())).Single().SequenceNumber;

        // As when its silo dies: the next call finds a new, empty activation.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await queue.Enqueue(Batch("after"));
        long after = (await queue.Dequeue(1, TimeSpan.Zero, Guid.NewGuid())).Single().SequenceNumber;

        after.Should().BeGreaterThan(before, "the pulling agent and the consumers skip tokens older than those they have seen");
    }

    [Fact]
    public async Task A_waiting_pull_returns_as_soon_as_a_batch_arrives()
    {
        var queue = NewQueue();
        var clock = Stopwatch.StartNew();
        var pull = queue.Dequeue(10, LongWait, Guid.NewGuid());
        await Task.Delay(200);
        pull.IsCompleted.Should().BeFalse("the queue is empty, so the pull waits");

        await queue.Enqueue(Batch("late"));
        var batches = await pull.WaitAsync(TimeSpan.FromSeconds(5));

        batches.Should().ContainSingle().Which.GetEvents<string>().Single().Item1.Should().Be("late");
        clock.Elapsed.Should().BeLessThan(LongWait, "the enqueue ends the wait, not the timeout");
    }

    [Fact]
    public async Task An_empty_queue_answers_empty_after_the_wait()
    {
        var batches = await NewQueue().Dequeue(10, TimeSpan.FromMilliseconds(100), Guid.NewGuid());

        batches.Should().BeEmpty();
    }

    [Fact]
    public async Task A_released_pull_returns_empty_and_leaves_later_batches_for_the_next_reader()
    {
        var queue = NewQueue();
        var stoppingReader = Guid.NewGuid();
        var pull = queue.Dequeue(10, LongWait, stoppingReader);
        await Task.Delay(100);
        await queue.Release(stoppingReader);
        var released = await pull.WaitAsync(TimeSpan.FromSeconds(5));

        await queue.Enqueue(Batch("kept"));
        var next = await queue.Dequeue(10, TimeSpan.Zero, Guid.NewGuid());

        released.Should().BeEmpty();
        next.Should().ContainSingle().Which.GetEvents<string>().Single().Item1.Should().Be("kept");
    }

    [Fact]
    public async Task Releasing_a_reader_that_is_not_waiting_changes_nothing()
    {
        var queue = NewQueue();
        var reader = Guid.NewGuid();
        await queue.Release(reader);
        await queue.Enqueue(Batch("first"));

        var batches = await queue.Dequeue(10, LongWait, reader);

        batches.Should().ContainSingle();
    }

    [Fact]
    public async Task A_pull_released_after_it_returned_gives_its_batches_back_in_order()
    {
        var queue = await QueueWithAsync("taken", "queued");
        var gaveUp = Guid.NewGuid();
        var taken = await queue.Dequeue(1, TimeSpan.Zero, gaveUp, LiveSilo);

        // Its reader timed out before the answer came, so it releases the pull: nobody saw "taken".
        await queue.Release(gaveUp);
        var next = await queue.Dequeue(10, TimeSpan.Zero, Guid.NewGuid(), LiveSilo);

        Texts(taken).Should().Equal("taken");
        Texts(next).Should().Equal("taken", "queued");
        next[0].SequenceNumber.Should().Be(taken[0].SequenceNumber, "it is the same batch, handed out again");
    }

    [Fact]
    public async Task Acknowledged_pulls_are_not_handed_out_again()
    {
        var queue = await QueueWithAsync("first", "second");
        var firstPull = Guid.NewGuid();
        var secondPull = Guid.NewGuid();
        var first = await queue.Dequeue(1, TimeSpan.Zero, firstPull, LiveSilo);
        // The next pull acknowledges the first, Acknowledge the second.
        var second = await queue.Dequeue(1, TimeSpan.Zero, secondPull, LiveSilo, received: firstPull);
        await queue.Acknowledge(secondPull);

        await queue.Release(firstPull);
        await queue.Release(secondPull);
        var after = await queue.Dequeue(10, TimeSpan.Zero, Guid.NewGuid(), LiveSilo);

        Texts(first).Should().Equal("first");
        Texts(second).Should().Equal("second");
        after.Should().BeEmpty("both pulls were acknowledged, so a late release gives nothing back");
    }

    [Fact]
    public async Task A_full_queue_refuses_with_a_clear_error()
    {
        var queue = NewQueue();
        for (int i = 0; i < SignalQueueGrain.MaxQueuedBatches; i++)
            await queue.Enqueue(Batch("x"));

        var overflow = () => queue.Enqueue(Batch("one too many"));

        (await overflow.Should().ThrowAsync<SignalQueueFullException>()).Which.Message.Should().Contain("takes no more");
    }
}
