using Orleans.Concurrency;

namespace Grains.Interfaces.Limits;

/// <summary>
/// Counts a room's open WHIP/WHEP sessions (keyed by room id), so that one participant, one room or one client
/// address cannot open sessions without bound. A session is admitted before its media is allocated and released
/// when it closes; admissions that never became a session (a refused offer, a gateway that died half way) are
/// dropped when a limit is reached and their session grain is closed or was never recorded.
/// Refusals are <c>RoomException</c>s with <c>RoomErrorCode.LimitReached</c>, whose message names the limit.
/// </summary>
[Alias("Rtc.IRoomSessionQuotaGrain")]
public interface IRoomSessionQuotaGrain : IGrainWithStringKey
{
    /// <param name="clientAddress">The client's address as the gateway resolved it; null when unknown (not counted per address).</param>
    [Alias("Admit")] Task AdmitAsync(string sessionId, string identity, string? clientAddress, SessionLimits limits);

    /// <summary>Called by the session as it closes; one-way, since the quota may be asking that session whether it is still open.</summary>
    [OneWay, Alias("Release")] Task ReleaseAsync(string sessionId);

    /// <summary>Open (admitted, not released) session ids.</summary>
    [Alias("Get")] Task<int> CountAsync();
}

/// <summary>The sessions of one client address across all rooms (keyed by the address); the room quotas call it.</summary>
[Alias("Rtc.IClientAddressQuotaGrain")]
public interface IClientAddressQuotaGrain : IGrainWithStringKey
{
    [Alias("Admit")] Task AdmitAsync(string sessionId, string roomId, int limit);

    [OneWay, Alias("Release")] Task ReleaseAsync(string sessionId);
}
