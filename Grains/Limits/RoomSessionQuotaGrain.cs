using Grains.Interfaces.Limits;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;

namespace Grains.Limits;

/// <summary>
/// Counts one room's open sessions in memory; see <see cref="IRoomSessionQuotaGrain"/>. Kept active while it
/// counts anything. If its silo dies the counts start again from zero (the limits then admit a few more sessions
/// than they should until those close): limits against abuse, not an accounting of record.
/// </summary>
public sealed class RoomSessionQuotaGrain : Grain, IRoomSessionQuotaGrain
{
    private readonly SessionLedger _sessions = new();

    public async Task AdmitAsync(string sessionId, string identity, string? clientAddress, SessionLimits limits)
    {
        string roomId = this.GetPrimaryKeyString();
        if (_sessions.Contains(sessionId))
            return;
        if (Exceeds(limits, identity))
            foreach (var stale in await _sessions.PruneAsync(GrainFactory))
                ReleaseAddress(stale);
        if (Exceeds(limits, identity))
        {
            int mine = _sessions.CountOf(identity);
            throw new RoomException(RoomErrorCode.LimitReached, limits.PerParticipant > 0 && mine >= limits.PerParticipant
                ? $"'{identity}' already has {mine} open sessions in room '{roomId}' (Limits:SessionsPerParticipant = {limits.PerParticipant})."
                : $"Room '{roomId}' has {_sessions.Count} open sessions (Limits:SessionsPerRoom = {limits.PerRoom}).");
        }
        if (clientAddress is not null && limits.PerClientAddress > 0)
            await GrainFactory.GetGrain<IClientAddressQuotaGrain>(clientAddress).AdmitAsync(sessionId, roomId, limits.PerClientAddress);
        _sessions.Add(sessionId, identity, clientAddress);
        DelayDeactivation(TimeSpan.FromDays(1));
    }

    public Task ReleaseAsync(string sessionId)
    {
        if (_sessions.Remove(sessionId) is { } entry)
            ReleaseAddress((sessionId, entry));
        if (_sessions.Count == 0)
            DelayDeactivation(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    private void ReleaseAddress((string SessionId, SessionLedger.Entry Entry) admitted)
    {
        if (admitted.Entry.Tag is { } address)
            _ = GrainFactory.GetGrain<IClientAddressQuotaGrain>(address).ReleaseAsync(admitted.SessionId);
    }

    public Task<int> CountAsync() => Task.FromResult(_sessions.Count);

    private bool Exceeds(SessionLimits limits, string identity) =>
        (limits.PerRoom > 0 && _sessions.Count >= limits.PerRoom)
        || (limits.PerParticipant > 0 && _sessions.CountOf(identity) >= limits.PerParticipant);
}

/// <summary>One client address's open sessions across rooms; see <see cref="IClientAddressQuotaGrain"/>.</summary>
public sealed class ClientAddressQuotaGrain : Grain, IClientAddressQuotaGrain
{
    private readonly SessionLedger _sessions = new();

    public async Task AdmitAsync(string sessionId, string roomId, int limit)
    {
        if (_sessions.Contains(sessionId))
            return;
        if (limit > 0 && _sessions.Count >= limit)
            await _sessions.PruneAsync(GrainFactory);
        if (limit > 0 && _sessions.Count >= limit)
            throw new RoomException(RoomErrorCode.LimitReached,
                $"Address {this.GetPrimaryKeyString()} has {_sessions.Count} open sessions (Limits:SessionsPerClientAddress = {limit}).");
        _sessions.Add(sessionId, roomId, null);
        DelayDeactivation(TimeSpan.FromDays(1));
    }

    public Task ReleaseAsync(string sessionId)
    {
        _sessions.Remove(sessionId);
        if (_sessions.Count == 0)
            DelayDeactivation(TimeSpan.Zero);
        return Task.CompletedTask;
    }
}
