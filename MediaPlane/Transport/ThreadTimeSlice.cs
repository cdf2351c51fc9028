using System.Runtime.InteropServices;

namespace MediaPlane.Transport;

/// <summary>
/// Asks Linux's fair scheduler (EEVDF, kernel 6.12 and later) for a short time slice for the calling thread.
/// A thread with a shorter slice gets an earlier virtual deadline when it wakes and may preempt a thread
/// with a longer one (the PREEMPT_SHORT feature), so a media receive thread woken by a packet runs at once
/// instead of waiting out the slice (0.7-3 ms, by CPU count) of a control-plane thread on its CPU. It takes no privilege: a
/// thread only shortens its own turns, not its share. Elsewhere (older kernels, other systems) it does nothing.
/// </summary>
internal static unsafe class ThreadTimeSlice
{
    // include/uapi/linux/sched/types.h: struct sched_attr, SCHED_ATTR_SIZE_VER0 (48 bytes).
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime; // for SCHED_NORMAL: the slice in ns (6.12+; sched_getattr reports the current one)
        public ulong Deadline;
        public ulong Period;
    }

    private const uint SchedNormal = 0;
    private const ulong MinSliceNs = 100_000;     // kernel/sched/syscalls.c clamps a fair task's slice to 0.1-100 ms
    private const ulong MaxSliceNs = 100_000_000;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, int pid, SchedAttr* attr, uint sizeOrFlags, uint flags);

    /// <summary>Sets the calling thread's slice; false where the kernel or platform has no such thing.</summary>
    public static bool TrySetCurrent(TimeSpan slice)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        (long get, long set) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (315L, 314L),
            Architecture.Arm64 => (275L, 274L),
            _ => (0L, 0L),
        };
        if (get == 0)
            return false;
        try
        {
            var attr = new SchedAttr();
            // sched_getattr(2) first, so the thread's nice value and policy are kept as they are.
            if (syscall(get, 0, &attr, (uint)sizeof(SchedAttr), 0) != 0 || attr.Policy != SchedNormal)
                return false;
            attr.Size = (uint)sizeof(SchedAttr);
            attr.Flags = 0;
            attr.Runtime = (ulong)(slice.Ticks * 100);
            if (syscall(set, 0, &attr, 0, 0) != 0)
                return false;
            // Kernels before 6.12 accept and ignore the field; 6.12+ report the slice back (clamped).
            var check = new SchedAttr();
            return syscall(get, 0, &check, (uint)sizeof(SchedAttr), 0) == 0
                && check.Runtime == Math.Clamp(attr.Runtime, MinSliceNs, MaxSliceNs);
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }
}
