using System.Text;
using Gateway.Api;
using Gateway.Auth;
using Microsoft.Extensions.Options;

namespace MediaPlane.Fuzz;

/// <summary>The <c>?ticket=</c> of a room WebSocket: redeeming whatever arrives must refuse it, never throw.</summary>
public sealed class RoomSocketTicketFuzzTarget : IFuzzTarget
{
    private static readonly RoomSocketTickets Tickets = new(Options.Create(new ApiKeyOptions()), Options.Create(new RoomNotificationSocketOptions()));

    public string Name => "ws-ticket";

    public void Run(ReadOnlySpan<byte> input)
    {
        var check = Tickets.RedeemAsync(Encoding.UTF8.GetString(input), "fuzz-room").GetAwaiter().GetResult();
        if (check.Caller is null == check.Error is null)
            throw new InvalidOperationException("A redeemed ticket gives a caller or an error, never both or neither.");
    }
}
