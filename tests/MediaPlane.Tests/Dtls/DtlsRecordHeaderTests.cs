using MediaPlane.Dtls;

namespace MediaPlane.Tests.Dtls;

public class DtlsRecordHeaderTests
{
    // A DTLS 1.2 handshake record header: type 22, version FE FD, epoch 1, sequence 0x0000_0102_0304, length 3.
    private static readonly byte[] Record = Convert.FromHexString("16FEFD0001000001020304" + "0003" + "AABBCC");

    [Fact]
    public void Reads_every_field()
    {
        DtlsRecordHeader.TryParse(Record, out var header, out var error).Should().BeTrue();

        error.Should().Be(DtlsRecordError.None);
        header.ContentType.Should().Be(DtlsContentType.Handshake);
        header.Version.Should().Be(0xFEFD);
        header.Epoch.Should().Be(1);
        header.SequenceNumber.Should().Be(0x0000_0102_0304);
        header.FragmentLength.Should().Be(3);
        header.Fragment.ToArray().Should().Equal(0xAA, 0xBB, 0xCC);
        header.RecordLength.Should().Be(16);
    }

    [Fact]
    public void Reads_a_48_bit_sequence_number()
    {
        var record = Convert.FromHexString("17FEFD" + "FFFF" + "FFFFFFFFFFFE" + "0000");
        DtlsRecordHeader.TryParse(record, out var header).Should().BeTrue();
        header.SequenceNumber.Should().Be(0xFFFF_FFFF_FFFE);
        header.Epoch.Should().Be(0xFFFF);
        header.Fragment.IsEmpty.Should().BeTrue();
    }

    [Theory]
    [InlineData("16FEFD00000000000000", DtlsRecordError.TooShort)]
    [InlineData("18FEFD000000000000000000", DtlsRecordError.TooShort)]
    [InlineData("18FEFD00000000000000000000", DtlsRecordError.UnknownContentType)]
    [InlineData("13FEFD00000000000000000000", DtlsRecordError.UnknownContentType)]
    [InlineData("160303000000000000000000", DtlsRecordError.TooShort)]
    [InlineData("16030300000000000000000000", DtlsRecordError.NotDtlsVersion)]
    [InlineData("17FEFE00010000000000000000", DtlsRecordError.NotDtlsVersion)] // reserved: BouncyCastle would end the association
    [InlineData("16FEFC00000000000000000000", DtlsRecordError.NotDtlsVersion)]
    [InlineData("16FEFD0000000000000000000201", DtlsRecordError.Truncated)]
    [InlineData("16FEFD0000000000000000FFFF", DtlsRecordError.FragmentTooLong)]
    public void Rejects_bad_headers_with_a_reason(string hex, DtlsRecordError expected)
    {
        DtlsRecordHeader.TryParse(Convert.FromHexString(hex), out _, out var error).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Fact]
    public void Well_formed_datagram_must_be_tiled_exactly_by_records()
    {
        var two = Record.Concat(Convert.FromHexString("15FEFD000100000000000500" + "02" + "0100")).ToArray();
        DtlsRecordHeader.IsWellFormedDatagram(two, out var error).Should().BeTrue();
        error.Should().Be(DtlsRecordError.None);

        DtlsRecordHeader.IsWellFormedDatagram(two.Append((byte)0x16).ToArray(), out error).Should().BeFalse();
        error.Should().Be(DtlsRecordError.TooShort);
        DtlsRecordHeader.IsWellFormedDatagram(two[..^1], out error).Should().BeFalse();
        error.Should().Be(DtlsRecordError.Truncated);
        DtlsRecordHeader.IsWellFormedDatagram([], out error).Should().BeFalse();
    }
}
