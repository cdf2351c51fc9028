using MediaPlane.Transport;

namespace MediaPlane.Relay;

/// <summary>
/// A media node's relay port and identity (configuration sections "RelayPort" and "Relay"). Without
/// them a node is not part of any cascade and only serves streams published on itself.
/// </summary>
public sealed class RelayOptions
{
    public const int DefaultPort = 7883;

    /// <summary>Bind address, port (default 7883, 0 = ephemeral) and advertised address of the relay port.</summary>
    public MediaPortOptions Port { get; init; } = new() { Port = DefaultPort, ReceiveLoops = 2 };

    /// <summary>This node's id (the silo address string); its <see cref="RelayIds.Hash"/> is the node's relay address.</summary>
    public required string NodeId { get; init; }

    /// <summary>The cluster key every relay packet is authenticated with (at least 16 bytes).</summary>
    public required byte[] ClusterKey { get; init; }

    /// <summary>How often an importer tells the origin it still wants a stream.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An export nobody kept alive for this long stops (the importer is gone); an import whose origin
    /// sent nothing for this long is dropped (the origin is gone).</summary>
    public TimeSpan ExportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each peer's relay endpoint is probed (relay v2 probes); zero turns probing off.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An import without local consumers for this long is dropped (the last subscriber left).</summary>
    public TimeSpan IdleImportTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
