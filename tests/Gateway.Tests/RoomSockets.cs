using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.Tests;

/// <summary>Room WebSocket helpers for the gateway tests: a ticket, a connection, the next JSON message.</summary>
public static class RoomSockets
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>POST .../events/ws-ticket with <paramref name="token"/>: the ticket, URL-safe as it is (a JWT).</summary>
    public static async Task<string> TicketAsync(GatewayFixture gw, string room, string token)
    {
        var body = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/events/ws-ticket", token)).ShouldBeJsonAsync(HttpStatusCode.OK);
        return body.Str("ticket");
    }

    public static async Task<ClientWebSocket> ConnectAsync(GatewayFixture gw, string pathAndQuery, string? bearer = null)
    {
        var socket = new ClientWebSocket();
        if (bearer is not null)
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        var uri = new UriBuilder(gw.BaseAddress) { Scheme = "ws" };
        int q = pathAndQuery.IndexOf('?');
        uri.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        uri.Query = q < 0 ? "" : pathAndQuery[(q + 1)..];
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            await socket.ConnectAsync(uri.Uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return socket;
    }

    public static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? Wait);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            result.MessageType.Should().Be(WebSocketMessageType.Text);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
    }
}
