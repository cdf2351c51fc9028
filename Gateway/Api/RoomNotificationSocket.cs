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
/// text messages (<see cref="RoomNotificationDto"/>), read from the room's room-notify stream. Browsers
/// cannot set headers on a WebSocket, so the token may come as <c>?access_token=</c> instead of a Bearer
/// header; it must grant something in the room. The first message is "subscribed" with the log's last
/// sequence: anything older is in GET .../events; later messages may repeat a sequence at most once.
/// A client too slow to keep up with <see cref="Buffered"/> messages is disconnected (1008) and resyncs.
/// Reconnect requests also arrive pushed (<see cref="RoomNotificationHub"/>), ahead of the stream's copy;
/// each is sent once.
/// </summary>
public sealed partial class RoomNotificationSocket(AccessTokenValidator validator, IServiceProvider services, IHostApplicationLifetime lifetime,
    RoomNotificationHub hub, IOptions<RoomNotificationSocketOptions> options, ILogger<RoomNotificationSocket> logger)
{
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
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(503);
    }

    public async Task<IResult> RunAsync(HttpContext http, string roomId)
    {
        var caller = await AuthenticateAsync(http);
        var grains = services.GetRequiredService<IGrainFactory>();
        var (id, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, roomId, RoomAccess.Member, RoomAccess.NotMember);
        if (!http.WebSockets.IsWebSocketRequest)
            throw ApiProblem.BadRequest("This endpoint is a WebSocket: send GET with Upgrade: websocket.");
        var stream = Stream(id);

        var queue = Channel.CreateBounded<RoomNotification>(new BoundedChannelOptions(Buffered) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        // Ends with the client, or when the server stops (the socket is then closed with 1001).
        using var done = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        bool tooSlow = false, subscriptionLost = false;
        void Enqueue(RoomNotification n)
        {
            if (!queue.Writer.TryWrite(n))
            {
                tooSlow = true;
                done.Cancel();
            }
        }
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
                subscriptionLost = true;
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
                }
            }
            catch (OperationCanceledException)
            {
                // The client closed, went away, the server is stopping, or the client was too slow.
            }
            await CloseAsync(socket, tooSlow, subscriptionLost);
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

    private async Task<Caller> AuthenticateAsync(HttpContext http)
    {
        string header = http.Request.Headers.Authorization.ToString();
        string? query = http.Request.Query["access_token"];
        string? presented = header.Length > 0 ? header : string.IsNullOrEmpty(query) ? null : "Bearer " + query;
        var check = await validator.ValidateAsync(presented);
        if (check.Caller is null)
        {
            http.Response.Headers.WWWAuthenticate = presented is null ? "Bearer" : "Bearer error=\"invalid_token\"";
            throw ApiProblem.Unauthorized(check.Error ?? "Invalid token.");
        }
        return check.Caller;
    }

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

    /// <summary>Answers the client's close, or closes first (1008 when it was too slow, 1001 when the server stops).</summary>
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

    private static async Task CloseAsync(WebSocket socket, bool tooSlow, bool subscriptionLost)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        var (status, text) = socket.State == WebSocketState.CloseReceived ? (WebSocketCloseStatus.NormalClosure, (string?)null)
            : tooSlow ? (WebSocketCloseStatus.PolicyViolation, "too slow; resync from GET .../events")
            : subscriptionLost ? (ServiceRestart, "subscription lost; reconnect and resync from GET .../events")
            : (WebSocketCloseStatus.EndpointUnavailable, "server stopping");
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
        n.Identity, n.StreamId, n.Kind, n.SessionId, n.Resource, n.Reason);

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

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Unsubscribing a room notification socket of {RoomId} failed")]
    private partial void LogUnsubscribeFailed(Exception e, string roomId);
}
