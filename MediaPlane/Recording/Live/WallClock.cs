namespace MediaPlane.Recording.Live;

/// <summary>Wall-clock time as Unix microseconds: the timeline sender reports' NTP times are mapped onto.</summary>
internal static class WallClock
{
    public static long NowUnixMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
