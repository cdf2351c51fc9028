using System.Collections.Immutable;

namespace Grains.Interfaces.Media;

/// <summary>What a media node must open for one client PeerConnection.</summary>
/// <param name="RemoteFingerprints">The offer's a=fingerprint values, as written in SDP ("sha-256 AB:CD:...").</param>
/// <param name="DtlsServer">True when our answer says setup:passive (we are the DTLS server).</param>
[GenerateSerializer, Immutable, Alias("Rtc.MediaSessionSpec")]
public sealed record MediaSessionSpec(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string RemoteUfrag,
    [property: Id(2)] ImmutableArray<string> RemoteFingerprints,
    [property: Id(3)] bool DtlsServer,
    [property: Id(4)] ImmutableArray<PublishTrackSpec> Publish,
    [property: Id(5)] ImmutableArray<SubscribeTrackSpec> Subscribe,
    // The publisher's transport-wide sequence number extension id, when transport-cc was negotiated: the node then
    // sends it transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01).
    [property: Id(6)] int? TransportWideCcExtensionId = null,
    // The offer's a=ice-pwd: the node signs its return-routability check with it before moving the session to a new address.
    [property: Id(7)] string? RemoteIcePassword = null)
{
    /// <summary>The publisher's RFC 6464 audio level extension id: the node measures its audio levels (active speaker).</summary>
    [Id(8)] public int? AudioLevelExtensionId { get; init; }

    /// <summary>The publisher's abs-send-time extension id when it negotiated goog-remb without transport-cc: the node
    /// then sends it REMB (draft-alvestrand-rmcat-remb-03).</summary>
    [Id(9)] public int? RembAbsSendTimeExtensionId { get; init; }
}

/// <summary>What the node answers: what goes into the SDP answer.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.MediaSessionGrant")]
public sealed record MediaSessionGrant(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string NodeId,
    [property: Id(2)] string IceUfrag,
    [property: Id(3)] string IcePassword,
    [property: Id(4)] string Fingerprint,
    [property: Id(5)] string Address,
    [property: Id(6)] int Port);
