using Grains.Interfaces.Limits;
using Grains.Interfaces.Media;

namespace Grains.Limits;

/// <summary>The session grain's side of the quotas: a closing session gives its place back (one-way).</summary>
internal static class SessionQuotas
{
    public static void Release(IGrainFactory grains, ClientSessionInfo session) => Release(grains, session.RoomId, session.SessionId);

    public static void Release(IGrainFactory grains, string roomId, string sessionId) =>
        _ = grains.GetGrain<IRoomSessionQuotaGrain>(roomId).ReleaseAsync(sessionId);
}
