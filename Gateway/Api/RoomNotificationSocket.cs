using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Gateway.Auth;
using Grains.Interfaces.Signaling;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Gateway.Api;

/// <summary>
/// GET /v1/rooms/{roomId}/events/ws: a WebSocket that pushes the room's notifications (participants
/// joining and leaving, tracks published and unpublished, reconnect requests, the room closing) as JSON
/// text messages (<see cref="RoomNotificationDto"/>), read from the room's room-notify stream. The caller shows a
/// Bearer header or, from a browser (which cannot set headers on a WebSocket), <c>?ticket=</c> with a single-use
/// ticket from POST .../events/ws-ticket (<see cref="RoomSocketTickets"/>); it must grant something in the room.
/// The socket ends with the caller's rights: it closes (1008) when the token expires or when its identity is kicked
/// from the room, and one identity holds at most <see cref="RoomNotificationSocketOptions.MaxSocketsPerIdentity"/>.
/// The first message is "subscribed" with the log's last
/// sequence: anything older is in GET .../events; later messages may repeat a sequence at most once.
/// A client too slow to keep up with <see cref="Buffered"/> messages is disconnected (1008) and resyncs.
/// Reconnect requests also arrive pushed (<see cref="RoomNotificationHub"/>), ahead of the stream's copy;
/// each is sent once.
/// </summary>
public sealed partial class RoomNotificationSocket(AccessTokenValidator validator, RoomSocketTickets tickets, RoomSocketSlots slots,
    IServiceProvider services, IHostApplicationLifetime lifetime, RoomNotificationHub hub, IOptions<RoomNotificationSocketOptions> options,
    ILogger<RoomNotificationSocket> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public const int Buffered = 1024;

    /// <summary>RFC 6455 §7.4.1 registry: 1012 Service Restart (not in <see cref="WebSocketCloseStatus"/>).</summary>
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public static void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.MapGet("/v1/rooms/{roomId}/events/ws", (HttpContext http, string roomId, RoomNotificationSocket socket) => socket.RunAsync(http, roomId))
            .WithName("RoomNotifications")
            .AddEndpointFilter<ApiErrorFilter>()
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(429).ProducesProblem(503);
    }

    public async Task<IResult> RunAsync(HttpContext http, string roomId)
    {
        var caller = await AuthenticateAsync(http, roomId);
        var grains = services.GetRequiredService<IGrainFactory>();
        var (id, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, roomId, RoomAccess.Member, RoomAccess.NotMember);
        using var slot = slots.TryTake(caller.Identity) ?? throw new ApiProblem(StatusCodes.Status429TooManyRequests,
            $"This identity already holds {options.Value.MaxSocketsPerIdentity} room sockets on this gateway (RoomNotifications:MaxSocketsPerIdentity).");
        if (!http.WebSockets.IsWebSocketRequest)
            throw ApiProblem.BadRequest("This endpoint is a WebSocket: send GET with Upgrade: websocket.");
        var stream = Stream(id);

        var queue = Channel.CreateBounded<RoomNotification>(new BoundedChannelOptions(Buffered) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        // Ends with the client, or when the server stops (the socket is then closed with 1001).
        using var done = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var end = SocketEnd.ClientOrServer;
        void Enqueue(RoomNotification n)
        {
            if (!queue.Writer.TryWrite(n))
            {
                end = SocketEnd.TooSlow;
                done.Cancel();
            }
        }
        // The socket's rights end with the token's (or the ticket's token's) expiry.
        var rightsLeft = (caller.ExpiresAt ?? DateTimeOffset.MaxValue) - _time.GetUtcNow();
        using var rights = rightsLeft < TimeSpan.FromDays(1) ? new CancellationTokenSource(rightsLeft > TimeSpan.Zero ? rightsLeft : TimeSpan.Zero, _time) : new CancellationTokenSource();
        using var rightsEnded = rights.Token.Register(() =>
        {
            end = SocketEnd.TokenExpired;
            done.Cancel();
        });
        using var pushed = hub.Listen(id, Enqueue);
        var subscription = await stream.SubscribeAsync((n, _) =>
        {
            Enqueue(n);
            return Task.CompletedTask;
        });
        try
        {
            long last = (await room.GetSnapshotAsync()).LastSequence;
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            var receiving = ReceiveUntilClosedAsync(socket, done, http.RequestAborted);
            var watching = WatchSubscriptionAsync(stream, subscription, id, () =>
            {
                end = SocketEnd.SubscriptionLost;
                done.Cancel();
            }, done.Token);
            try
            {
                await SendAsync(socket, new RoomNotificationDto("subscribed", id, Sequence: last), done.Token);
                var reconnectsSent = new HashSet<string>(StringComparer.Ordinal);
                await foreach (var n in queue.Reader.ReadAllAsync(done.Token))
                {
                    if (n.Type == RoomNotificationType.ReconnectRequested && !reconnectsSent.Add(n.SessionId ?? ""))
                        continue; // the second copy (pushed and streamed)
                    await SendAsync(socket, ToDto(n), done.Token);
                    if (IsKickOf(n, caller.Identity))
                    {
                        end = SocketEnd.Kicked;
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The client closed, went away, the server is stopping, or the client was too slow.
            }
            if (end is SocketEnd.Kicked or SocketEnd.TokenExpired)
                LogRightsEnded(id, caller.Identity, end);
            await CloseAsync(socket, end);
            await watching;
            await receiving.WaitAsync(CloseTimeout, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (WebSocketException e)
        {
            LogSocketFailed(e, id);
        }
        finally
        {
            await UnsubscribeAsync(subscription, id);
        }
        return Results.Empty;
    }

    /// <summary>A Bearer header, or a ticket (<c>?ticket=</c>) for this room. Tokens in URLs are not accepted.</summary>
    private async Task<Caller> AuthenticateAsync(HttpContext http, string roomId)
    {
        string header = http.Request.Headers.Authorization.ToString();
        string? ticket = http.Request.Query["ticket"];
        TokenCheck check;
        if (header.Length == 0 && !string.IsNullOrEmpty(ticket))
            check = await tickets.RedeemAsync(ticket, roomId);
        else
            check = await validator.ValidateAsync(header);
        if (check.Caller is null)
        {
            bool presented = header.Length > 0 || !string.IsNullOrEmpty(ticket);
            http.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
            throw ApiProblem.Unauthorized(presented ? check.Error ?? "Invalid token."
                : "Missing bearer token: send an Authorization header, or ?ticket= from POST /v1/rooms/{roomId}/events/ws-ticket.");
        }
        return check.Caller;
    }

    /// <summary>A kick of <paramref name="identity"/>: it leaves with a reason (a participant leaving by itself has none).</summary>
    public static bool IsKickOf(RoomNotification n, string identity) =>
        n.Type == RoomNotificationType.ParticipantLeft && n.Identity == identity && n.Reason is not null;

    private IAsyncStream<RoomNotification> Stream(string roomId)
    {
        try
        {
            return services.GetRequiredService<IClusterClient>().GetStreamProvider(RtcStreams.Provider)
                .GetStream<RoomNotification>(StreamId.Create(RtcStreams.RoomNotify, roomId));
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            LogNoStreams(e);
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Room notifications are not available on this gateway.");
        }
    }

    /// <summary>Reads (and ignores) what the client sends until it closes or goes away; then stops the send loop.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource done, CancellationToken aborted)
    {
        var buffer = new byte[1024];
        try
        {
            while ((await socket.ReceiveAsync(buffer, aborted)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Aborted.
        }
        finally
        {
            await done.CancelAsync();
        }
    }

    /// <summary>Ends the socket (through <paramref name="lost"/>) when its stream subscription has disappeared.</summary>
    private async Task WatchSubscriptionAsync(IAsyncStream<RoomNotification> stream, StreamSubscriptionHandle<RoomNotification> subscription,
        string roomId, Action lost, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.SubscriptionCheckPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                IList<StreamSubscriptionHandle<RoomNotification>> handles;
                try
                {
                    handles = await stream.GetAllSubscriptionHandles().WaitAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    continue; // The cluster is busy or moving: check again next time.
                }
                if (!handles.Any(h => h.HandleId == subscription.HandleId))
                {
                    LogSubscriptionLost(roomId);
                    lost();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The socket ended.
        }
    }

    /// <summary>Answers the client's close, or closes first with why the server ends the socket.</summary>
    private static async Task CloseAsync(WebSocket socket, SocketEnd end)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        var (status, text) = socket.State == WebSocketState.CloseReceived ? (WebSocketCloseStatus.NormalClosure, (string?)null) : end switch
        {
            SocketEnd.TooSlow => (WebSocketCloseStatus.PolicyViolation, "too slow; resync from GET .../events"),
            SocketEnd.SubscriptionLost => (ServiceRestart, "subscription lost; reconnect and resync from GET .../events"),
            SocketEnd.TokenExpired => (WebSocketCloseStatus.PolicyViolation, "token expired"),
            SocketEnd.Kicked => (WebSocketCloseStatus.PolicyViolation, "kicked from the room"),
            _ => (WebSocketCloseStatus.EndpointUnavailable, "server stopping"),
        };
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(status, text, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client is gone.
        }
    }

    private static Task SendAsync(WebSocket socket, RoomNotificationDto message, CancellationToken cancellationToken)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(message, GatewayJsonContext.Default.RoomNotificationDto);
        return socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    public static RoomNotificationDto ToDto(RoomNotification n) => new(
        ApiMapping.Word(n.Type), n.RoomId, n.Sequence == 0 ? null : n.Sequence, n.Timestamp,
        n.Identity, n.StreamId, n.Kind, n.SessionId, n.Resource, n.Reason,
        n.Type == RoomNotificationType.ActiveSpeakers ? SpeakersOf(n) : null, n.RecordingId);

    private static SpeakerLevelDto[] SpeakersOf(RoomNotification n) =>
        n.Speakers.IsDefault ? [] : n.Speakers.Select(x => new SpeakerLevelDto(x.Identity, x.LevelDbov)).ToArray();

    private async Task UnsubscribeAsync(StreamSubscriptionHandle<RoomNotification> subscription, string roomId)
    {
        try
        {
            await subscription.UnsubscribeAsync();
        }
        catch (Exception e)
        {
            LogUnsubscribeFailed(e, roomId);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Room notification socket of {RoomId} failed")]
    private partial void LogSocketFailed(Exception e, string roomId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "No signaling stream provider: room notifications are unavailable")]
    private partial void LogNoStreams(Exception e);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Room {RoomId}: a socket's stream subscription disappeared; closing it (1012) so the client resyncs")]
    private partial void LogSubscriptionLost(string roomId);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Room {RoomId}: closing the socket of {Identity} ({End})")]
    private partial void LogRightsEnded(string roomId, string identity, SocketEnd end);

    /// <summary>Why the server ends a socket (the client closing or going away is <see cref="ClientOrServer"/> too).</summary>
    private enum SocketEnd { ClientOrServer, TooSlow, SubscriptionLost, TokenExpired, Kicked }

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Unsubscribing a room notification socket of {RoomId} failed")]
    private partial void LogUnsubscribeFailed(Exception e, string roomId);
}
