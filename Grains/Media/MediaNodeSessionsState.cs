namespace Grains.Media;

[GenerateSerializer, Alias("Rtc.MediaNodeSessionsState")]
public sealed class MediaNodeSessionsState
{
    /// <summary>Open sessions on the node, sorted (ordinal).</summary>
    [Id(0)] public List<string> Sessions { get; set; } = [];

    /// <summary>Membership declared the node dead; a silo address is never reused, so this is final.</summary>
    [Id(1)] public bool Dead { get; set; }
}
