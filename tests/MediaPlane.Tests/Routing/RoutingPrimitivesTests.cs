using MediaPlane.Routing;

namespace MediaPlane.Tests.Routing;

public class SequenceUnwrapperTests
{
    [Fact]
    public void Wraps_forward_and_tolerates_reordering_across_the_wrap()
    {
        var unwrapper = new SequenceUnwrapper();
        long a = unwrapper.Unwrap(65534);
        long b = unwrapper.Unwrap(65535);
        long c = unwrapper.Unwrap(1);
        long d = unwrapper.Unwrap(0); // late packet from before 1

        (b - a).Should().Be(1);
        (c - a).Should().Be(3);
        (d - a).Should().Be(2);
        unwrapper.Highest.Should().Be(c);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(0, 65535, true)]
    [InlineData(0, 1, false)]
    [InlineData(5, 5, false)]
    [InlineData(40000, 1, false)]
    public void Serial_comparison(int a, int b, bool newer) =>
        SequenceUnwrapper.IsNewer((ushort)a, (ushort)b).Should().Be(newer);
}

public class RetransmissionBufferTests
{
    private static byte[] Packet(int marker, int length = 100) => Enumerable.Repeat((byte)marker, length).ToArray();

    [Fact]
    public void Returns_stored_packets_by_sequence_number_across_the_wrap()
    {
        var buffer = new RetransmissionBuffer(capacity: 64);
        for (int i = 0; i < 40; i++)
            buffer.Store((ushort)(65520 + i), Packet(i));

        buffer.TryGet(65521, out var early).Should().BeTrue();
        early.ToArray().Should().Equal(Packet(1));
        buffer.TryGet(3, out var wrapped).Should().BeTrue(); // 65520 + 19 = 65539 -> 3
        wrapped.ToArray().Should().Equal(Packet(19));
        buffer.TryGet(100, out _).Should().BeFalse("never sent");
    }

    [Fact]
    public void Forgets_packets_older_than_its_capacity_instead_of_returning_the_wrong_one()
    {
        var buffer = new RetransmissionBuffer(capacity: 16);
        for (int i = 0; i < 40; i++)
            buffer.Store((ushort)i, Packet(i));

        buffer.TryGet(5, out _).Should().BeFalse("slot 5 now holds sequence 37");
        buffer.TryGet(37, out var kept).Should().BeTrue();
        kept.ToArray().Should().Equal(Packet(37));
    }

    [Fact]
    public void Late_packets_fill_their_slot_and_oversized_ones_are_not_kept()
    {
        var buffer = new RetransmissionBuffer(capacity: 16);
        buffer.Store(10, Packet(10));
        buffer.Store(12, Packet(12));
        buffer.Store(11, Packet(11));
        buffer.Store(13, Packet(13, RetransmissionBuffer.MaxPacketLength + 1));

        buffer.TryGet(11, out var late).Should().BeTrue();
        late.ToArray().Should().Equal(Packet(11));
        buffer.TryGet(13, out _).Should().BeFalse();
    }
}

public class SequenceRewriterTests
{
    [Fact]
    public void A_consumer_that_starts_mid_stream_sees_its_input_numbers_unchanged()
    {
        var rewriter = new SequenceRewriter();
        rewriter.Start(1000, 90000, timestampGap: 3000);

        rewriter.Rewrite(1000, 90000, out var seq, out var ts);

        seq.Should().Be(1000);
        ts.Should().Be(90000u);
        rewriter.ToInput(1000).Should().Be(1000);
    }

    [Fact]
    public void A_restart_after_skipped_packets_continues_without_a_gap()
    {
        var rewriter = new SequenceRewriter();
        rewriter.Start(100, 1000, 3000);
        rewriter.Rewrite(100, 1000, out _, out _);
        rewriter.Rewrite(101, 4000, out _, out _);

        // Packets 102..149 are skipped (waiting for a keyframe); resume at 150.
        rewriter.Start(150, 148000, timestampGap: 3000);
        rewriter.Rewrite(150, 148000, out var seq, out var ts);
        rewriter.Rewrite(151, 151000, out var seq2, out _);

        seq.Should().Be(102);
        ts.Should().Be(7000u);
        seq2.Should().Be(103);
        rewriter.ToInput(102).Should().Be(150, "a NACK for output 102 asks for input 150");
    }

    [Fact]
    public void Rewriting_wraps_around_16_bits()
    {
        var rewriter = new SequenceRewriter();
        rewriter.Start(65535, uint.MaxValue, 3000);
        rewriter.Rewrite(65535, uint.MaxValue, out _, out _);
        rewriter.Rewrite(0, 2999, out var seq, out var ts);

        seq.Should().Be(0);
        ts.Should().Be(2999u);
    }
}
