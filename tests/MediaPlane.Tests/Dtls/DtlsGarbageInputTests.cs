using MediaPlane.Dtls;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Dtls;

public class DtlsGarbageInputTests
{
    [Fact]
    public async Task Garbage_during_the_handshake_neither_throws_nor_breaks_it()
    {
        var random = new Random(6347);
        DtlsTestPair? pair = null;
        int interleaved = 0;
        // Before every real client datagram, feed the server junk: random bytes with a DTLS-looking first
        // byte and, every other time, a plausible header with a random body.
        pair = new DtlsTestPair(clientToServerFilter: _ =>
        {
            for (int i = 0; i < 4; i++)
            {
                pair!.Server.FeedDatagram(RandomJunk(random, plausibleHeader: i % 2 == 0)).Should().BeFalse();
                interleaved++;
            }
            return true;
        });
        using var _ = pair;

        var (server, client) = await pair.HandshakeAsync();

        server.Succeeded.Should().BeTrue(server.FailureReason);
        client.Succeeded.Should().BeTrue(client.FailureReason);
        interleaved.Should().BeGreaterThan(0);
        pair.Server.DroppedDatagrams.Should().Be(interleaved);
    }

    [Fact]
    public async Task Garbage_and_forged_records_after_the_handshake_do_not_throw_and_keep_the_association()
    {
        using var pair = new DtlsTestPair();
        var (server, _) = await pair.HandshakeAsync();
        server.Succeeded.Should().BeTrue();
        var random = new Random(5764);

        for (int i = 0; i < 2_000; i++)
        {
            // Well-formed headers in the current epoch with random ciphertext: they reach BouncyCastle and
            // must be discarded as bad_record_mac without failing the association (RFC 6347 §4.1.2.7).
            var record = new byte[13 + random.Next(1, 64)];
            random.NextBytes(record);
            record[0] = (byte)random.Next(20, 24);
            record[1] = 0xFE;
            // Mostly DTLS 1.2, sometimes 1.0, a reserved version ({254,254} once ended the association) or any byte.
            record[2] = (i % 8) switch { < 5 => 0xFD, 5 => 0xFF, 6 => 0xFE, _ => (byte)random.Next(256) };
            record[3] = 0;
            record[4] = (byte)random.Next(0, 3); // epoch 0, 1 (current) or 2
            record[11] = 0;
            record[12] = (byte)(record.Length - 13);
            var feed = () => pair.Server.FeedDatagram(record);
            feed.Should().NotThrow();
            var junk = RandomJunk(random, plausibleHeader: false);
            feed = () => pair.Server.FeedDatagram(junk);
            feed.Should().NotThrow();
        }

        // Let the drain work items run, then check the association still works end to end.
        await Poll.UntilAsync(() => pair.Server.State != DtlsTransportState.Connected || !HasBacklog(pair.Server));
        pair.Server.State.Should().Be(DtlsTransportState.Connected, pair.Server.FailureReason);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.Server.Closed += (_, _) => closed.TrySetResult();
        pair.Client.Close();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static bool HasBacklog(DtlsTransport transport) =>
        typeof(DtlsTransport).GetField("datagrams", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(transport) is QueuedDatagramTransport queue && queue.HasPending;

    internal static byte[] RandomJunk(Random random, bool plausibleHeader)
    {
        var junk = new byte[random.Next(1, 300)];
        random.NextBytes(junk);
        junk[0] = (byte)random.Next(20, 64);
        if (plausibleHeader && junk.Length >= 13)
        {
            junk[0] = (byte)random.Next(20, 24);
            junk[1] = 0xFE;
            // Length deliberately inconsistent with the datagram, so the pre-filter must reject it.
            junk[11] = 0xFF;
        }
        return junk;
    }
}
