using System.Net;

namespace MediaPlane.Relay.Peers;

/// <summary>
/// Another media node as the control plane knows it: its node id (the silo address string) and the relay endpoint
/// this node reaches it at (its advertised relay endpoint, or a per-region override such as an emulated link's port).
/// </summary>
public sealed record RelayPeerInfo(string NodeId, IPEndPoint EndPoint);
