using System.Text.RegularExpressions;
using MediaPlane.Transport;

namespace MediaPlane.Tests.Transport;

/// <summary>The media port's receive threads ask the scheduler for a short slice (MediaPortOptions.ReceiveThreadSliceMicroseconds).</summary>
public class ReceiveThreadSliceTests
{
    private sealed class Ignore : IDatagramHandler
    {
        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta) { }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0)]
    public async Task Receive_threads_run_with_the_configured_slice_where_the_kernel_has_custom_slices(int microseconds)
    {
        using var port = new UdpMediaPort(new MediaPortOptions { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = 1, ReceiveThreadSliceMicroseconds = microseconds }, new Ignore());
        port.Start();
        var socket = port.Sockets[0];
        for (int attempt = 0; attempt < 100 && socket.ThreadProcDirectory is null && OperatingSystem.IsLinux(); attempt++)
            await Task.Delay(20);

        if (!OperatingSystem.IsLinux())
        {
            socket.ShortTimeSlice.Should().BeFalse();
            return;
        }
        socket.ThreadProcDirectory.Should().NotBeNull("the receive thread runs once the port started");
        var sched = File.ReadAllText(Path.Combine(socket.ThreadProcDirectory!, "sched"));
        var slice = Regex.Match(sched, @"se\.slice\s*:\s*(\d+)");
        bool customSlices = slice.Success && KernelAtLeast(6, 12);
        if (microseconds > 0 && customSlices)
        {
            socket.ShortTimeSlice.Should().BeTrue();
            long.Parse(slice.Groups[1].Value).Should().Be(microseconds * 1000L, "the kernel reports the thread's slice in ns");
        }
        else
        {
            socket.ShortTimeSlice.Should().BeFalse(microseconds == 0 ? "0 leaves the default" : "this kernel has no custom slices");
        }
    }

    private static bool KernelAtLeast(int major, int minor)
    {
        var m = Regex.Match(File.ReadAllText("/proc/sys/kernel/osrelease"), @"^(\d+)\.(\d+)");
        return m.Success && (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)).CompareTo((major, minor)) >= 0;
    }
}
