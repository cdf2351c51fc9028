using MediaPlane.Dtls;
using MediaPlane.Relay;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

public sealed class WebRtcServerOptions
{
    public MediaPortOptions Port { get; init; } = new();

    public DtlsTransportOptions Dtls { get; init; } = DtlsTransportOptions.Default;

    /// <summary>RFC 7675 §5.1: consent expires 30 s after the last verified check.</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often expired sessions are looked for.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often we send receiver reports to publishers and sender reports to subscribers.</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most sessions on this node; more are refused, so a flood of offers cannot exhaust memory.</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>Return routability and rate of address moves (NAT rebinding) per session.</summary>
    public Ice.AddressMoveOptions AddressMoves { get; init; } = Ice.AddressMoveOptions.Default;

    /// <summary>The relay port and cluster key for cross-node delivery; null keeps the node on its own.</summary>
    public RelayOptions? Relay { get; init; }
}
