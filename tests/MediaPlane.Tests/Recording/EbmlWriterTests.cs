using MediaPlane.Recording.Buffers;
using MediaPlane.Recording.WebM;

namespace MediaPlane.Tests.Recording;

public sealed class EbmlWriterTests
{
    [Theory]
    [InlineData(0L, "80")]
    [InlineData(126L, "FE")]      // 127 would be the reserved all-ones 1-byte form (RFC 8794 §6.2)
    [InlineData(127L, "407F")]
    [InlineData(16382L, "7FFE")]
    [InlineData(16383L, "203FFF")]
    public void Sizes_are_the_shortest_variable_size_integer_that_is_not_all_ones(long size, string hex)
    {
        Span<byte> buffer = stackalloc byte[8];
        int length = EbmlWriter.WriteSize(buffer, size);
        Convert.ToHexString(buffer[..length]).Should().Be(hex);
    }

    [Fact]
    public void Elements_are_id_size_data_and_masters_get_a_patched_4_byte_size()
    {
        using var buffer = new GrowableBuffer();
        int master = EbmlWriter.StartMaster(buffer, MatroskaIds.Info);
        EbmlWriter.WriteUnsigned(buffer, MatroskaIds.TimestampScale, 1_000_000);
        EbmlWriter.EndMaster(buffer, master);
        Convert.ToHexString(buffer.Written).Should().Be("1549A966" + "10000007" + "2AD7B1" + "83" + "0F4240");
    }

    [Fact]
    public void A_void_fills_exactly_the_space_asked_for()
    {
        using var buffer = new GrowableBuffer();
        EbmlWriter.WriteVoid(buffer, 96);
        buffer.Length.Should().Be(96);
        EbmlWriter.WriteVoid(buffer, 200);
        buffer.Length.Should().Be(296);
    }
}
