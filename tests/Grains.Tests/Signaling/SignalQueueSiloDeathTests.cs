using System.Diagnostics;
using FluentAssertions;
using Grains.Interfaces.Signaling.Queues;
using Grains.SignalQueues;
using Grains.Signaling;
using Grains.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.TestingHost;
using Rtc.TestSupport;
using Rtc.TestCluster;

namespace Grains.Tests.Signaling;

/// <summary>
/// Signal queues when a silo dies. Orleans fails a call in flight to a dead silo only at its response timeout
/// (30 s), which held the room notifications of <see cref="NodeFailureTests"/> back; a reader gives up after
/// <see cref="SignalQueueOptions.LongPollWait"/> + <see cref="SignalQueueOptions.PollGrace"/>. And a silo killed
/// right after its pull took batches never delivers them: the queue hands them out again once the silo is dead.
/// </summary>
public sealed class SignalQueueSiloDeathTests
{
    /// <summary>
    /// Numbers of <paramref name="provider"/>'s queues, activated until each silo of <paramref name="cluster"/> holds
    /// at least two. Placement follows the gateway a call arrives at, and a new client may know only one gateway for a
    /// while, so a fixed set of queues can all land on one silo.
    /// </summary>
    private static async Task<List<uint>> QueuesOnEverySiloAsync(InProcessTestCluster cluster, string provider)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var hosts = new Dictionary<uint, SiloAddress>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (uint number = 0; cluster.Silos.Any(silo => hosts.Values.Count(h => h.Equals(silo.SiloAddress)) < 2); number++)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Queues did not spread over the silos in 30 s: {hosts.Count} activated, all on {string.Join(", ", hosts.Values.Distinct())}.");
            var queue = cluster.Client.GetGrain<ISignalQueueGrain>(ISignalQueueGrain.KeyOf(provider, number));
            await queue.Release(Guid.NewGuid()); // activates it
            if (await management.GetActivationAddress(queue) is { } host)
                hosts[number] = host;
            if (number % 16 == 15)
                await Task.Delay(200);
        }
        return hosts.Keys.ToList();
    }

    /// <summary>Two silos whose signaling streams are signal queues; the caller disposes it before <paramref name="data"/>.</summary>
    private static async Task<InProcessTestCluster> StartTwoSilosAsync(TempDirectory data)
    {
        var cluster = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 2, data.Path,
            (_, silo) => silo.AddRtcMemoryStreams(StorageNames.StreamProvider),
            client => client.AddSignalQueueStreams(StorageNames.StreamProvider), new CapturedLogs()).Build();
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task A_poll_to_a_dead_silo_gives_up_after_its_grace_and_the_next_poll_reaches_the_queue_again()
    {
        using var data = new TempDirectory("rtc-queue-death");
        await using var cluster = await StartTwoSilosAsync(data);
        var options = new SignalQueueOptions { LongPollWait = TimeSpan.FromSeconds(2), PollGrace = TimeSpan.FromSeconds(1) };
        var factory = new SignalQueueAdapterFactory("death-test", options, cluster.Client, NullLoggerFactory.Instance);
        var receivers = (await QueuesOnEverySiloAsync(cluster, "death-test"))
            .Select(number => factory.CreateReceiver(QueueId.GetQueueId("death-test", number, 0)))
            .ToList();
        // Activates each queue (an empty poll, 2 s).
        await Task.WhenAll(receivers.Select(r => r.GetQueueMessagesAsync(1, CancellationToken.None)));

        var clock = Stopwatch.StartNew();
        var polls = receivers.Select(async r =>
        {
            try
            {
                await r.GetQueueMessagesAsync(1, CancellationToken.None);
                return (GaveUp: false, At: clock.Elapsed);
            }
            catch (TimeoutException)
            {
                return (GaveUp: true, At: clock.Elapsed);
            }
        }).ToList();
        await Task.Delay(500);
        await cluster.KillSiloAsync(cluster.Silos[1]);
        var results = await Task.WhenAll(polls);

        results.Should().Contain(r => r.GaveUp, "some of the queues lived on the killed silo");
        results.Should().AllSatisfy(r => r.At.Should().BeLessThan(TimeSpan.FromSeconds(10), "a poll ends at 2 s + 1 s, not at Orleans' 30 s response timeout"));

        // The next polls reach the queues' new activations on the surviving silo.
        var afterDeath = await Poll.UntilAsync(async () =>
            {
                try
                {
                    await Task.WhenAll(receivers.Select(r => r.GetQueueMessagesAsync(1, CancellationToken.None)));
                    return true;
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }, ok => ok, TimeSpan.FromSeconds(30), "every queue answers a poll after the death");
        afterDeath.Should().BeTrue();
    }

    [Fact]
    public async Task Batches_a_killed_silo_took_and_never_acknowledged_are_handed_out_again()
    {
        using var data = new TempDirectory("rtc-queue-held");
        await using var cluster = await StartTwoSilosAsync(data);
        var survivor = cluster.Silos[0];
        var victim = cluster.Silos[1];
        // Queues on both silos: those on the victim die with it and come back empty.
        var queues = (await QueuesOnEverySiloAsync(cluster, "held-test"))
            .Select(number => cluster.Client.GetGrain<ISignalQueueGrain>(ISignalQueueGrain.KeyOf("held-test", number))).ToList();
        foreach (var queue in queues)
        {
            await queue.Enqueue(SignalQueueTests.Batch("taken"));
            await queue.Enqueue(SignalQueueTests.Batch("still queued"));
            // The victim's reader takes the first batch and dies before its next pull would acknowledge it.
            (await queue.Dequeue(1, TimeSpan.Zero, Guid.NewGuid(), victim.SiloAddress)).Should().ContainSingle();
        }

        await cluster.KillSiloAsync(victim);
        var membership = survivor.ServiceProvider.GetRequiredService<IClusterMembershipService>();
        await Poll.UntilAsync(() => Task.FromResult(membership.CurrentSnapshot.GetSiloStatus(victim.SiloAddress)),
            status => status == SiloStatus.Dead, TimeSpan.FromSeconds(30), "the survivor declares the victim dead");

        var after = new List<string[]>();
        foreach (var queue in queues)
        {
            // Calls to queues that lived on the victim may fail until the cluster has caught up with the death (retried).
            after.Add(await Poll.UntilAsync(
                async () => SignalQueueTests.Texts(await queue.Dequeue(10, TimeSpan.Zero, Guid.NewGuid(), survivor.SiloAddress)
                    .WaitAsync(TimeSpan.FromSeconds(5))).ToArray(),
                _ => true, TimeSpan.FromSeconds(30), "the queue answers after the death"));
        }

        after.Should().AllSatisfy(texts => texts.Should().Match<string[]>(t => t.Length == 0 || t.SequenceEqual(new[] { "taken", "still queued" }),
            "a queue that lived through the death hands out the unacknowledged batch again, first; one that died comes back empty"));
        after.Should().Contain(texts => texts.Length == 2, "some of the queues lived on the survivor");
        after.Should().Contain(texts => texts.Length == 0, "some of the queues lived on the victim");
    }
}
