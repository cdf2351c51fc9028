using Grains.Interfaces.Media;

namespace Grains.Media;

/// <summary>The active-speaker half of the node service: samples audio levels and reports the changes (<see cref="AudioLevelReports"/>).</summary>
public sealed partial class MediaNodeService
{
    private readonly AudioLevelReports _audioLevels = new();
    private Task? _audioLevelSampling;

    /// <summary>Every <see cref="MediaNodeOptions.AudioLevelInterval"/>: the node's audio levels, changes to the sessions' grains (one-way).</summary>
    private async Task AudioLevelLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.AudioLevelInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    foreach (var sample in _audioLevels.Select(_server.SampleAudioLevels(), Environment.TickCount64))
                        _ = _grains.GetGrain<IClientSessionGrain>(sample.SessionId).ReportAudioLevelAsync(sample.StreamId, sample.LevelDbov);
                }
                catch (Exception e)
                {
                    LogAudioLevelsFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(6, Microsoft.Extensions.Logging.LogLevel.Warning, "Sampling audio levels failed")]
    private partial void LogAudioLevelsFailed(Exception e);
}
