using Grains.Interfaces.Signaling;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Grains.Signaling;

/// <summary>Typed access to the signaling streams (see <see cref="RtcStreams"/>).</summary>
public static class SignalingStreams
{
    /// <summary>The provider, or null when this host configured none (some test clusters).</summary>
    public static IStreamProvider? TryGetProvider(IServiceProvider services) =>
        services.GetKeyedService<IStreamProvider>(RtcStreams.Provider);

    public static IAsyncStream<MediaStateEvent> MediaState(this IStreamProvider provider, string sessionId) =>
        provider.GetStream<MediaStateEvent>(StreamId.Create(RtcStreams.MediaState, sessionId));

    public static IAsyncStream<RoomNotification> RoomNotify(this IStreamProvider provider, string roomId) =>
        provider.GetStream<RoomNotification>(StreamId.Create(RtcStreams.RoomNotify, roomId));
}
