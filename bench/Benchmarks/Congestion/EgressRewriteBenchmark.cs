using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaPlane.Congestion;
using MediaPlane.Routing.Egress;
using MediaPlane.Rtp;
using MediaPlane.Srtp;
using MediaPlane.Transport;

namespace Benchmarks.Congestion;

/// <summary>
/// Per-packet egress cost toward one subscriber, in memory: what Consumer.Queue and WebRtcSession.QueueRtp do to a
/// 1,200-byte video packet from Chromium (mid, abs-send-time, transport-wide sequence number, video orientation in
/// its one-byte extension), SRTP protection (AES-CM-128/HMAC-SHA1-80) included. Baseline: the extension dropped, as
/// before. Rewrite: the subscriber's own block (its mid, abs-send-time now, a transport-wide number, orientation
/// forwarded) written with <see cref="EgressHeaderExtensions.CopyHeader"/>, numbered and recorded in the
/// subscriber's <see cref="SentPacketHistory"/> as the session does under its send lock. No socket.
/// </summary>
[MemoryDiagnoser]
public class EgressRewriteBenchmark
{
    private readonly byte[] _packet = new byte[1300];
    private readonly byte[] _slot = new byte[UdpSendBatch.SlotBytes];
    private readonly byte[] _mid = "1"u8.ToArray();
    private int _packetLength;
    private SrtpContext _srtp = null!;
    private HeaderExtensionIds _publisher = null!;
    private HeaderExtensionIds _subscriber = null!;
    private SubscriberBandwidth _bandwidth = null!;
    private ushort _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var writer = new RtpPacketWriter(_packet);
        writer.TryBegin(false, 96, 1, 3000, 0x1234, [], RtpExtensionForm.OneByte);
        writer.TryAddExtension(4, "1"u8);
        writer.TryAddExtension(2, [0, 0, 0]);
        writer.TryAddExtension(3, [0, 0]);
        writer.TryAddExtension(13, [1]);
        writer.TryFinish(new byte[1168], 0, out _packetLength);
        NegotiatedHeaderExtension[] chromium =
        [
            new(HeaderExtensionIds.MidUri, 4),
            new(HeaderExtensionIds.AbsSendTimeUri, 2),
            new(HeaderExtensionIds.TransportSequenceNumberUri, 3),
            new(HeaderExtensionIds.VideoOrientationUri, 13),
        ];
        _publisher = HeaderExtensionIds.From(chromium);
        _subscriber = HeaderExtensionIds.From(chromium);
        _bandwidth = new SubscriberBandwidth();
        var key = new byte[16];
        var salt = new byte[14];
        Random.Shared.NextBytes(key);
        Random.Shared.NextBytes(salt);
        _srtp = SrtpContext.Create(new SrtpKeyingMaterial(SrtpProfile.AesCm128HmacSha1_80, key, key, salt, salt), localIsDtlsClient: false);
    }

    [GlobalCleanup]
    public void Cleanup() => _srtp.Dispose();

    [Benchmark(Baseline = true)]
    public int ExtensionDropped()
    {
        var packet = _packet.AsSpan(0, _packetLength);
        RtpPacketReader.TryParse(packet, out var header, out _);
        var payload = packet[header.PayloadOffset..];
        int fixedLength = 12 + 4 * header.CsrcCount;
        packet[..fixedLength].CopyTo(_slot);
        _slot[0] &= 0xEF;
        payload.CopyTo(_slot.AsSpan(fixedLength));
        WriteHeader(_slot, _sequence++);
        _srtp.TryProtectRtp(_slot, fixedLength + payload.Length, out int protectedLength);
        return protectedLength;
    }

    [Benchmark]
    public int ExtensionRewrittenAndRecorded()
    {
        var packet = _packet.AsSpan(0, _packetLength);
        RtpPacketReader.TryParse(packet, out var header, out _);
        var payload = packet[header.PayloadOffset..];
        int headerLength = EgressHeaderExtensions.CopyHeader(packet, header, _slot, payload.Length, _publisher, _subscriber, _mid,
            out int sequenceOffset);
        payload.CopyTo(_slot.AsSpan(headerLength));
        WriteHeader(_slot, _sequence++);
        ushort transportSequence = _bandwidth.NextSequenceNumber;
        BinaryPrimitives.WriteUInt16BigEndian(_slot.AsSpan(sequenceOffset), transportSequence);
        _srtp.TryProtectRtp(_slot, headerLength + payload.Length, out int protectedLength);
        _bandwidth.OnSent(transportSequence, MicrosecondClock.Now(), protectedLength);
        return protectedLength;
    }

    private static void WriteHeader(Span<byte> packet, ushort sequence)
    {
        packet[1] = (byte)((packet[1] & 0x80) | 100);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], 0xCAFE);
    }
}
