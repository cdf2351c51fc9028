using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Api;

namespace Benchmarks.Chaos;

/// <summary>
/// Follows one room's notifications (GET /v1/rooms/{id}/events/ws with the admin token) and hands each
/// <c>reconnectRequested</c> to the room's clients. A socket that drops (its gateway was killed) is opened again on
/// the other gateway; a request missed meanwhile is covered by the clients' own health checks.
/// </summary>
public sealed class RoomWatcher(ChaosApi api, IReadOnlyList<string> gatewayUrls, string room, IReadOnlyList<ChaosClient> clients)
{
    public int ReconnectRequests { get; private set; }

    public int SocketsOpened { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        int attempt = 0;
        var buffer = new byte[64 * 1024];
        while (!stop.IsCancellationRequested)
        {
            string url = gatewayUrls[attempt++ % gatewayUrls.Count].Replace("http://", "ws://", StringComparison.Ordinal);
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", $"Bearer {api.AdminToken}");
            try
            {
                await socket.ConnectAsync(new Uri($"{url}/v1/rooms/{Uri.EscapeDataString(room)}/events/ws"), stop);
                SocketsOpened++;
                while (socket.State == WebSocketState.Open && !stop.IsCancellationRequested)
                {
                    var result = await socket.ReceiveAsync(buffer, stop);
                    if (result.MessageType == WebSocketMessageType.Close)
                        break;
                    if (!result.EndOfMessage)
                        continue; // our messages are small; a fragmented one is skipped
                    var message = JsonSerializer.Deserialize<RoomNotificationDto>(buffer.AsSpan(0, result.Count), ChaosApi.Json);
                    if (message is { Type: "reconnectRequested", SessionId: { } sessionId })
                    {
                        ReconnectRequests++;
                        foreach (var client in clients)
                            client.AskToReconnect(sessionId);
                    }
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
