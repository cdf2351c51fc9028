using MediaPlane.Transport;

namespace Grains.Media;

/// <summary>The silo's media node (configuration sections "MediaPort" and "Silo").</summary>
public sealed class MediaNodeOptions
{
    public MediaPortOptions Port { get; set; } = new();

    /// <summary>Region label of this silo, used to choose nodes near clients.</summary>
    public string Region { get; set; } = "local";

    /// <summary>How often the node reports its load to the node directory.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often published tracks are checked for their first RTP (TrackStarted on the media-state stream).</summary>
    public TimeSpan TrackCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each connected session's bitrate and loss are published on the media-state stream.</summary>
    public TimeSpan MediaStateInterval { get; set; } = TimeSpan.FromSeconds(5);
}
