using Grains.Interfaces.Limits;
using Grains.Interfaces.Media;

namespace Grains.Limits;

/// <summary>The session grain's side of the quotas: a closing session gives its place back (one-way).</summary>
internal static class SessionQuotas
{
    public static void Release(IGrainFactory grains, ClientSessionInfo session) =>
        _ = grains.GetGrain<IRoomSessionQuotaGrain>(session.RoomId).ReleaseAsync(session.SessionId);
}
