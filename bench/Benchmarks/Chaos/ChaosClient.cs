using MediaPlane.Contracts;
using System.Buffers.Binary;
using MediaPlane.Rtp;
using MediaPlane.WebRtc;
using Rtc.TestClient;

namespace Benchmarks.Chaos;

/// <summary>
/// One client of the chaos run: a publisher (WHIP, one video track, 50 packets a second carrying its number) or a
/// subscriber (WHEP on the room). It keeps itself connected: a session whose node stopped answering its consent checks
/// (6 s), a subscriber without media for 6 s, a failed open, or a reconnect the room asked for
/// (<see cref="AskToReconnect"/>) makes it open a new session through the next gateway, after closing the old one.
/// </summary>
public sealed class ChaosClient(ChaosApi api, string room, string identity, int number, bool publisher)
{
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(6);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _lastFromPublisher = [];
    private WhipWhepClient? _session;
    private volatile string? _reconnectAskedFor;
    private long _connectedTicks;

    public string Room => room;

    public string Identity => identity;

    public int Number => number;

    public bool IsPublisher => publisher;

    /// <summary>Sessions this client opened (201 from WHIP/WHEP), in order.</summary>
    public List<string> SessionIds { get; } = [];

    public int Reconnects { get; private set; }

    public int FailedOpens { get; private set; }

    /// <summary>True once the room asked this client to reconnect one of its sessions (its node died).</summary>
    public bool WasAskedToReconnect { get; private set; }

    public string? CurrentSessionId { get; private set; }

    /// <summary>A <c>reconnectRequested</c> for <paramref name="sessionId"/>: reconnect if it is this client's current session.</summary>
    public void AskToReconnect(string sessionId)
    {
        if (SessionIds.Contains(sessionId))
        {
            WasAskedToReconnect = true;
            _reconnectAskedFor = sessionId;
        }
    }

    /// <summary>Subscribers: true when packets of publisher <paramref name="publisherNumber"/> arrived within <paramref name="window"/>.</summary>
    public bool HeardFrom(int publisherNumber, TimeSpan window)
    {
        lock (_gate)
            return _lastFromPublisher.TryGetValue(publisherNumber, out long at) && Environment.TickCount64 - at < window.TotalMilliseconds;
    }

    /// <summary>The session answers our consent checks (publishers: the node takes our media).</summary>
    public bool IsConnected(TimeSpan window) =>
        _session is { } s && Environment.TickCount64 - s.Transport.LastConsentTicks < window.TotalMilliseconds;

    public async Task RunAsync(CancellationToken stop)
    {
        ushort sequence = 0;
        var packet = new byte[1200];
        while (!stop.IsCancellationRequested)
        {
            if (_session is null || NeedsReconnect())
            {
                await ReconnectAsync(stop);
                continue;
            }
            if (publisher)
                _session.Transport.SendRtp(Rtp(packet, sequence++));
            try
            {
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private bool NeedsReconnect()
    {
        long now = Environment.TickCount64;
        if (_reconnectAskedFor is { } asked && asked == CurrentSessionId)
            return true;
        if (now - _connectedTicks < Silence.TotalMilliseconds)
            return false;
        if (now - _session!.Transport.LastConsentTicks > Silence.TotalMilliseconds)
            return true;
        if (!publisher)
        {
            lock (_gate)
                return _lastFromPublisher.Count == 0 || now - _lastFromPublisher.Values.Max() > Silence.TotalMilliseconds;
        }
        return false;
    }

    private async Task ReconnectAsync(CancellationToken stop)
    {
        if (_session is { } old)
        {
            _session = null;
            Reconnects++;
            await CloseQuietlyAsync(old);
        }
        try
        {
            var http = api.NextGateway();
            string token = api.Token(room, identity);
            WhipWhepClient client = publisher
                ? await WhipWhepClient.NegotiateAsync(http, WhipWhepClient.WhipPath(room), token, [new OfferedTrack(MediaKind.Video, 0x5000_0000u + (uint)number)], publish: true, ct: stop)
                : await WhipWhepClient.NegotiateAsync(http, WhipWhepClient.WhepPath(room), token, WhipWhepClient.Recvonly([MediaKind.Video]), publish: false, ct: stop);
            string sessionId = client.Location!.Segments[^1];
            SessionIds.Add(sessionId);
            if (!publisher)
                client.Transport.OnRtp = OnRtp;
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await client.ConnectAsync(connectTimeout.Token);
            }
            catch
            {
                await CloseQuietlyAsync(client);
                throw;
            }
            CurrentSessionId = sessionId;
            _connectedTicks = Environment.TickCount64;
            _session = client;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            FailedOpens++;
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Ends the current session (DELETE through a live gateway); called once the run is over.</summary>
    public async Task LeaveAsync()
    {
        if (Interlocked.Exchange(ref _session, null) is { } session)
            await CloseQuietlyAsync(session);
    }

    private static async Task CloseQuietlyAsync(WhipWhepClient client)
    {
        try
        {
            await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // The gateway or node is gone: the node's consent timer and the reconciliation close it.
            client.Transport.Dispose();
        }
    }

    private void OnRtp(ReadOnlySpan<byte> packet)
    {
        if (!RtpPacketReader.TryParse(packet, out var rtp, out _) || rtp.Payload.Length < 4)
            return;
        int from = BinaryPrimitives.ReadInt32BigEndian(rtp.Payload);
        lock (_gate)
            _lastFromPublisher[from] = Environment.TickCount64;
    }

    private ReadOnlySpan<byte> Rtp(byte[] buffer, ushort sequence)
    {
        var writer = new RtpPacketWriter(buffer);
        Span<byte> payload = stackalloc byte[600];
        BinaryPrimitives.WriteInt32BigEndian(payload, number);
        writer.TryBegin(false, 96, sequence, sequence * 1800u, 0x5000_0000u + (uint)number);
        writer.TryFinish(payload, 0, out int written);
        return buffer.AsSpan(0, written);
    }
}
