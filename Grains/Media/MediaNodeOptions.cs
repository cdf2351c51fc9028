using MediaPlane.Relay;
using MediaPlane.Transport;

namespace Grains.Media;

/// <summary>The silo's media node (configuration sections "MediaPort", "RelayPort", "Relay" and "Silo").</summary>
public sealed class MediaNodeOptions
{
    public MediaPortOptions Port { get; set; } = new();

    /// <summary>The UDP relay port other nodes send this node's imported streams to (section "RelayPort").</summary>
    public MediaPortOptions RelayPort { get; set; } = new() { Port = RelayOptions.DefaultPort, ReceiveLoops = 2 };

    /// <summary>Base64 cluster key authenticating relay packets ("Relay:ClusterKey", at least 16 bytes). Unset: derived
    /// from the cluster and service ids, with a warning; production clusters must set it.</summary>
    public string? RelayClusterKey { get; set; }

    /// <summary>How often every other node's relay endpoint is probed and the links reported to the route table grain
    /// ("Relay:ProbeInterval", default 1 s; 00:00:00 turns probing and reporting off).</summary>
    public TimeSpan RelayProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where this node sends to reach the nodes of a region, when not at their advertised relay endpoint
    /// ("Relay:PeerEndpoints:{region}" = "address:port"; e.g. an emulated link's port, `scripts/regions.sh endpoint`).
    /// </summary>
    public Dictionary<string, string> RelayPeerEndpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Region label of this silo, used to choose nodes near clients.</summary>
    public string Region { get; set; } = "local";

    /// <summary>How often the node reports its load to the node directory.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often published tracks are checked for their first RTP (TrackStarted on the media-state stream).</summary>
    public TimeSpan TrackCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often publishers' audio levels are sampled for the rooms' active speaker ("MediaNode:AudioLevelInterval").</summary>
    public TimeSpan AudioLevelInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often each connected session's bitrate and loss are published on the media-state stream.</summary>
    public TimeSpan MediaStateInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When (after start) and how often the silo looks for nodes of an earlier incarnation of the cluster that still
    /// have sessions (<see cref="Grains.Interfaces.Media.IKnownMediaNodesGrain"/>), to close them.
    /// </summary>
    public TimeSpan ForeignNodeSweepDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ForeignNodeSweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the node and the grains are reconciled (<see cref="MediaNodeReconciler"/>, "MediaNode:ReconcilePeriod");
    /// a session out of line is closed after two checks in a row, within two periods.
    /// </summary>
    public TimeSpan ReconcilePeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where this node writes recordings ("Recording:Directory"), one folder per recording. Default: "recordings" under
    /// "Storage:DataDirectory" (embedded profile), the same on the PostgreSQL profile unless set.
    /// </summary>
    public string RecordingDirectory { get; set; } = Path.Combine(".data", "recordings");

    /// <summary>How often one session may move to a new client address, each move confirmed by a check the node sends
    /// ("Limits:AddressMovesPerSession", "Limits:AddressMoveWindow").</summary>
    public MediaPlane.Ice.AddressMoveOptions AddressMoves { get; set; } = MediaPlane.Ice.AddressMoveOptions.Default;

    /// <summary>Most sessions on this node that have not connected yet ("Limits:UnconnectedSessionsPerNode"; 0 = no limit).</summary>
    public int UnconnectedSessionsLimit { get; set; } = 256;
}
