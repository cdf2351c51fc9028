using System.Collections.Immutable;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Signaling;
using Grains.Signaling;
using Microsoft.Extensions.Logging;

namespace Grains.Rooms.Speakers;

/// <summary>
/// A room's active speaker (<see cref="IRoomSpeakersGrain"/>): levels in, dominant-speaker changes out on the
/// room-notify stream, which the gateways' room sockets push as <c>activeSpeakers</c>. A change held back by the
/// rate limit goes out with the next report after it (speaking streams are reported at least once a second).
/// </summary>
public sealed partial class RoomSpeakersGrain(ILogger<RoomSpeakersGrain> logger) : Grain, IRoomSpeakersGrain
{
    private readonly ActiveSpeakerSelector _selector = new();

    public async Task ReportLevelAsync(string identity, string streamId, int levelDbov)
    {
        var now = DateTimeOffset.UtcNow;
        _selector.Report(identity, streamId, levelDbov, now);
        if (!_selector.TryChange(now, out var speakers))
            return;
        string roomId = this.GetPrimaryKeyString();
        var notification = new RoomNotification
        {
            Type = RoomNotificationType.ActiveSpeakers,
            RoomId = roomId,
            Timestamp = now,
            Identity = _selector.Dominant,
            Speakers = speakers,
        };
        try
        {
            if (SignalingStreams.TryGetProvider(ServiceProvider) is { } streams)
                await streams.RoomNotify(roomId).OnNextAsync(notification);
        }
        catch (Exception e)
        {
            LogNotifyFailed(e, roomId);
        }
    }

    public Task<ImmutableArray<SpeakerLevel>> GetActiveSpeakersAsync() => Task.FromResult(_selector.Speakers(DateTimeOffset.UtcNow));

    [LoggerMessage(2110, LogLevel.Warning, "Room {RoomId}: publishing an active-speaker change failed")]
    private partial void LogNotifyFailed(Exception e, string roomId);
}
