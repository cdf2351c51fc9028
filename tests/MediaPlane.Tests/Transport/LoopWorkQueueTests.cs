using MediaPlane.Transport;

namespace MediaPlane.Tests.Transport;

public class LoopWorkQueueTests
{
    private sealed class Subject;

    private sealed class Recorder : ILoopWorkHandler
    {
        public void Run(in LoopWork work, UdpReceiveSocket loop) { }
    }

    [Fact]
    public void Work_comes_out_in_order_and_a_full_ring_refuses_without_waiting()
    {
        var queue = new LoopWorkQueue(4);
        var handler = new Recorder();
        var subject = new Subject();
        for (int i = 0; i < 4; i++)
            queue.TryPost(new LoopWork(handler, subject, 1, i)).Should().BeTrue();
        queue.TryPost(new LoopWork(handler, subject, 1, 99)).Should().BeFalse("the ring holds four");

        for (int i = 0; i < 4; i++)
        {
            queue.TryTake(out var work).Should().BeTrue();
            work.Argument.Should().Be(i);
            work.Subject.Should().BeSameAs(subject);
        }
        queue.TryTake(out _).Should().BeFalse();
        queue.TryPost(new LoopWork(handler, subject, 1, 5)).Should().BeTrue("taken cells are free again");
    }

    [Fact]
    public void Four_posting_threads_lose_nothing_and_each_ones_work_stays_in_order()
    {
        const int PerThread = 200_000;
        var queue = new LoopWorkQueue(1024);
        var handler = new Recorder();
        var subject = new Subject();
        var posters = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (long i = 0; i < PerThread; i++)
            {
                var work = new LoopWork(handler, subject, t, i);
                while (!queue.TryPost(work))
                    Thread.Yield();
            }
        })).ToList();
        posters.ForEach(t => t.Start());

        var next = new long[4];
        long taken = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (taken < 4L * PerThread && DateTime.UtcNow < deadline)
        {
            if (!queue.TryTake(out var work))
            {
                Thread.Yield();
                continue;
            }
            work.Argument.Should().Be(next[work.Operation], "one poster's work is taken in the order it was posted");
            next[work.Operation]++;
            taken++;
        }
        posters.ForEach(t => t.Join());

        taken.Should().Be(4L * PerThread);
    }

    [Fact]
    public void Posting_and_taking_allocate_nothing()
    {
        var queue = new LoopWorkQueue(64);
        var work = new LoopWork(new Recorder(), new Subject(), 2, 7);
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            queue.TryPost(work);
            queue.TryTake(out _);
        });
        allocated.Should().Be(0);
    }
}
