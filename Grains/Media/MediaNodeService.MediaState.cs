namespace Grains.Media;

/// <summary>The media-state half of the node service: a sampling loop feeding <see cref="MediaStateReporter"/>.</summary>
public sealed partial class MediaNodeService
{
    private readonly MediaStateReporter _mediaState;
    private Task? _sampling;

    /// <summary>This node's media-state publisher.</summary>
    public MediaStateReporter MediaState => _mediaState;

    /// <summary>
    /// Every <see cref="MediaNodeOptions.TrackCheckInterval"/>: first RTP of published tracks; every
    /// <see cref="MediaNodeOptions.MediaStateInterval"/> also each connected session's counters.
    /// </summary>
    private async Task SampleLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.TrackCheckInterval);
        int statsEvery = Math.Max(1, (int)Math.Round(_options.MediaStateInterval / _options.TrackCheckInterval));
        int tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    _mediaState.Sample(_server, withStats: ++tick % statsEvery == 0);
                }
                catch (Exception e)
                {
                    LogSampleFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(5, Microsoft.Extensions.Logging.LogLevel.Warning, "Sampling media state failed")]
    private partial void LogSampleFailed(Exception e);
}
