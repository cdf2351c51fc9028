using System.Text;
using MediaPlane.Dtls;

namespace MediaPlane.Tests.Dtls;

/// <summary>
/// Seeded random-input tests (project standard: >= 100,000 inputs per parser, no exception may escape).
/// Inputs are mutations of real packets plus pure random bytes.
/// </summary>
public class DtlsRandomInputTests
{
    private const int Inputs = 100_000;

    [Fact]
    public async Task Server_transport_survives_100k_random_and_mutated_datagrams()
    {
        var random = new Random(20260);
        var clientFlights = await CaptureClientDatagramsAsync();
        clientFlights.Should().HaveCountGreaterThanOrEqualTo(2);
        int fed = 0;

        // 1) Transports mid-handshake: each fresh server gets a (possibly mutated) ClientHello and more junk, so
        //    BouncyCastle's handshake parser sees mutated hellos and later flights. Closing cancels the thread.
        for (int round = 0; round < 150; round++)
        {
            using var server = new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate,
                DtlsTestPair.ClientCertificate.Fingerprint, _ => { },
                new DtlsTransportOptions { HandshakeTimeout = TimeSpan.FromSeconds(2) });
            var handshake = server.HandshakeAsync();
            for (int i = 0; i < 200; i++, fed++)
            {
                var input = i == 0 && round % 3 == 0 ? clientFlights[0] : NextInput(random, clientFlights);
                FeedMustNotThrow(server, input);
            }
            server.Close();
            var result = await handshake.WaitAsync(TimeSpan.FromSeconds(10));
            result.State.Should().BeOneOf(DtlsTransportState.Closed, DtlsTransportState.Failed);
        }

        // 2) A connected server: mutated records of every epoch must neither throw nor end the association.
        using var pair = new DtlsTestPair();
        (await pair.HandshakeAsync()).Server.Succeeded.Should().BeTrue();
        while (fed < Inputs)
        {
            for (int i = 0; i < 64 && fed < Inputs; i++, fed++)
                FeedMustNotThrow(pair.Server, NextInput(random, clientFlights));
            await Task.Yield();
        }

        fed.Should().BeGreaterThanOrEqualTo(Inputs);
        var stillConnected = await WaitForQuietAsync(pair.Server);
        stillConnected.Should().BeTrue(pair.Server.FailureReason + " " + pair.Server.LastDrainException);
    }

    [Fact]
    public void Fingerprint_parser_survives_100k_random_and_mutated_inputs()
    {
        var random = new Random(8122);
        var seeds = new[]
        {
            DtlsTestPair.ServerCertificate.Fingerprint.ToString(),
            DtlsTestPair.ServerCertificate.ComputeFingerprint(DtlsHashFunction.Sha1).ToString(),
            DtlsTestPair.ServerCertificate.ComputeFingerprint(DtlsHashFunction.Sha512).ToString(),
            DtlsTestPair.ServerCertificate.ComputeFingerprint(DtlsHashFunction.Sha224).ToString(),
        };
        int accepted = 0;
        for (int i = 0; i < Inputs; i++)
        {
            string input = (i % 4) switch
            {
                0 => RandomString(random, random.Next(0, 220)),
                _ => Mutate(random, seeds[random.Next(seeds.Length)]),
            };
            bool ok = DtlsFingerprint.TryParse(input, out var fingerprint, out var error);
            ok.Should().Be(error == DtlsFingerprintError.None);
            if (ok)
            {
                accepted++;
                // Whatever parses must format to something that parses to the same value.
                DtlsFingerprint.TryParse(fingerprint!.ToString(), out var again).Should().BeTrue();
                again.Should().Be(fingerprint);
            }
        }
        accepted.Should().BeGreaterThan(100, "some mutations (case, whitespace, digit changes) stay valid");
    }

    [Fact]
    public async Task Record_header_reader_survives_100k_random_and_mutated_inputs()
    {
        var random = new Random(6347_4);
        var seeds = await CaptureClientDatagramsAsync();
        int valid = 0;
        for (int i = 0; i < Inputs; i++)
        {
            var input = NextInput(random, seeds);
            if (DtlsRecordHeader.TryParse(input, out var header, out var error))
            {
                valid++;
                error.Should().Be(DtlsRecordError.None);
                header.RecordLength.Should().BeLessThanOrEqualTo(input.Length);
            }
            DtlsRecordHeader.IsWellFormedDatagram(input, out _);
        }
        valid.Should().BeGreaterThan(1000);
    }

    private static void FeedMustNotThrow(DtlsTransport transport, byte[] input)
    {
        try
        {
            transport.FeedDatagram(input);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"FeedDatagram threw on {Convert.ToHexString(input)}: {e}");
        }
    }

    /// <summary>Waits until the transport has processed its backlog; true when still connected.</summary>
    private static async Task<bool> WaitForQuietAsync(DtlsTransport transport)
    {
        var queue = (QueuedDatagramTransport)typeof(DtlsTransport)
            .GetField("datagrams", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(transport)!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (queue.HasPending && transport.State == DtlsTransportState.Connected && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        return transport.State == DtlsTransportState.Connected;
    }

    /// <summary>Every datagram our client sends during a real handshake (ClientHello, second flight).</summary>
    internal static async Task<List<byte[]>> CaptureClientDatagramsAsync()
    {
        var captured = new List<byte[]>();
        using var pair = new DtlsTestPair(clientToServerFilter: datagram =>
        {
            lock (captured)
                captured.Add(datagram.ToArray());
            return true;
        });
        var (server, _) = await pair.HandshakeAsync();
        server.Succeeded.Should().BeTrue();
        lock (captured)
            return captured.ToList();
    }

    internal static byte[] NextInput(Random random, IReadOnlyList<byte[]> seeds)
    {
        switch (random.Next(4))
        {
            case 0:
            {
                var junk = new byte[random.Next(0, 400)];
                random.NextBytes(junk);
                if (junk.Length > 0 && random.Next(2) == 0)
                    junk[0] = (byte)random.Next(20, 64);
                return junk;
            }
            default:
                return MutateBytes(random, seeds[random.Next(seeds.Count)]);
        }
    }

    internal static byte[] MutateBytes(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        int edits = random.Next(1, 6);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 1:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 3:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 4 when bytes.Count > 14:
                    // Keep the record header intact and corrupt a length inside the body.
                    int at = random.Next(13, bytes.Count - 1);
                    bytes[at] = 0xFF;
                    bytes[at + 1] = (byte)random.Next(256);
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        int keep = random.Next(bytes.Count); // truncate
                        bytes.RemoveRange(keep, bytes.Count - keep);
                    }
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static string RandomString(Random random, int length)
    {
        const string alphabet = "sha-1256384 :ABCDEFabcdef0123456789\t\r\nxyzG-";
        var builder = new StringBuilder(length);
        for (int i = 0; i < length; i++)
            builder.Append(random.Next(8) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)]);
        return builder.ToString();
    }

    private static string Mutate(Random random, string seed)
    {
        var chars = seed.ToCharArray().ToList();
        int edits = random.Next(0, 4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0 when chars.Count > 0:
                    chars[random.Next(chars.Count)] = "0123456789ABCDEFabcdef:- G"[random.Next(26)];
                    break;
                case 1 when chars.Count > 0:
                    chars.RemoveAt(random.Next(chars.Count));
                    break;
                case 2:
                    chars.Insert(random.Next(chars.Count + 1), "0A: \t"[random.Next(5)]);
                    break;
                case 3:
                    for (int i = 0; i < chars.Count; i++)
                        chars[i] = char.ToLowerInvariant(chars[i]);
                    break;
                default:
                    chars.InsertRange(0, "  ");
                    break;
            }
        }
        return new string(chars.ToArray());
    }
}
