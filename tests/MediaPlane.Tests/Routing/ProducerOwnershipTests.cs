using MediaPlane.Contracts;
using MediaPlane.Routing;
using MediaPlane.Transport;

namespace MediaPlane.Tests.Routing;

/// <summary>A producer belongs to one receive loop; when its packets reach another, the owner hands it over.</summary>
public sealed class ProducerOwnershipTests
{
    private const int HandOver = 7;

    private sealed class IgnoreDatagrams : IDatagramHandler
    {
        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta) { }
    }

    /// <summary>Runs hand-overs on the loop they were posted to, and notes which loop that was.</summary>
    private sealed class HandOverRunner : ILoopWorkHandler
    {
        public volatile UdpReceiveSocket? RanOn;

        public void Run(in LoopWork work, UdpReceiveSocket loop)
        {
            if (work.Operation != HandOver)
                return;
            RanOn = loop;
            ((Producer)work.Subject).HandOver();
        }
    }

    [Fact]
    public async Task The_first_loop_owns_a_producer_and_an_idle_owner_hands_it_to_the_loop_its_packets_now_reach()
    {
        using var port = new UdpMediaPort(new MediaPortOptions { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = 2 }, new IgnoreDatagrams());
        port.Start();
        var (first, second) = (port.Sockets[0], port.Sockets[1]);
        var producer = new Producer(new PublishedTrack("cam", MediaKind.Video, 1111, null, 96, null, 90000, "VP8"), publisher: null);
        var runner = new HandOverRunner();

        producer.Owner.Should().BeNull("no packet yet");
        producer.TryOwn(first, runner, HandOver).Should().BeTrue();
        producer.Owner.Should().BeSameAs(first);
        producer.TryOwn(first, runner, HandOver).Should().BeTrue();

        // The publisher's packets now reach the second loop: dropped until the first lets go.
        producer.TryOwn(second, runner, HandOver).Should().BeFalse();
        producer.TryOwn(second, runner, HandOver).Should().BeFalse();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (producer.Owner != second && DateTime.UtcNow < deadline)
            await Task.Delay(5);

        producer.Owner.Should().BeSameAs(second, "the idle first loop wakes for its posted work");
        runner.RanOn.Should().BeSameAs(first, "only the owner gives its producer away");
        producer.TryOwn(second, runner, HandOver).Should().BeTrue();
        producer.TryOwn(first, runner, HandOver).Should().BeFalse("and now the first loop is the stranger");
    }
}
