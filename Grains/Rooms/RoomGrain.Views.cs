using Grains.Interfaces.Rooms;
using Microsoft.Extensions.Logging;

namespace Grains.Rooms;

/// <summary>
/// The room's side of its views (participant and stream grains): passed each change after the commit, and re-synced
/// from the room's state on activation and after a failed update, retried with a growing delay until it succeeds. A
/// failed view update does not fail the change: the change is in the log, and the views follow.
/// </summary>
public sealed partial class RoomGrain
{
    private IGrainTimer? _repairTimer;
    private int _repairAttempts;
    /// <summary>Removals of a failed update still to pass on (the state before it); null when none.</summary>
    private RoomSnapshot? _unsyncedSince;

    private async Task SyncViewsAsync(RoomSnapshot before, RoomSnapshot after)
    {
        try
        {
            await RoomViewSync.ApplyAsync(GrainFactory, before, after);
        }
        catch (Exception e)
        {
            _unsyncedSince ??= before;
            ScheduleViewRepair(e);
        }
    }

    private async Task RepairViewsAsync()
    {
        _repairTimer?.Dispose();
        _repairTimer = null;
        try
        {
            var s = Snapshot;
            if (_unsyncedSince is { } since)
                await RoomViewSync.ApplyRemovalsAsync(GrainFactory, since, s);
            _unsyncedSince = null;
            int fixes = await RoomViewRepair.RepairAsync(GrainFactory, s);
            if (fixes > 0)
                LogViewsRepaired(RoomId, fixes);
            _repairAttempts = 0;
        }
        catch (Exception e)
        {
            ScheduleViewRepair(e);
        }
    }

    private void ScheduleViewRepair(Exception failure)
    {
        var delay = TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(6, _repairAttempts++)));
        LogViewRepairScheduled(failure, RoomId, delay.TotalSeconds);
        _repairTimer?.Dispose();
        _repairTimer = this.RegisterGrainTimer(RepairViewsAsync,
            new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Room {RoomId}: {Fixes} participant or stream views were out of line with the log and were repaired")]
    private partial void LogViewsRepaired(string roomId, int fixes);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Room {RoomId}: updating its participant and stream views failed; re-syncing them from the room's state in {Seconds} s")]
    private partial void LogViewRepairScheduled(Exception e, string roomId, double seconds);
}
