using System.Globalization;

namespace Benchmarks.Control;

/// <summary>Samples the 1-minute load average every second from creation until <see cref="StopAsync"/>.</summary>
public sealed class LoadAverageSampler
{
    private readonly List<double> _samples = [Read()];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoadAverageSampler() => _loop = LoopAsync();

    /// <summary>The current 1-minute load average, NaN where /proc/loadavg does not exist.</summary>
    public static double Read()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    public double Latest
    {
        get
        {
            lock (_samples)
                return _samples[^1];
        }
    }

    public async Task<LoadAverageStats> StopAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
        lock (_samples)
        {
            _samples.Add(Read());
            return new(_samples[0], _samples.Average(), _samples.Max(), _samples[^1]);
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(1000, _stop.Token);
                double value = Read();
                lock (_samples)
                    _samples.Add(value);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
