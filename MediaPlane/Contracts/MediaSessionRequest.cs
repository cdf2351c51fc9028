using MediaPlane.Dtls;

namespace MediaPlane.Contracts;

/// <summary>What the control plane asks the media plane to open for one client PeerConnection.</summary>
/// <param name="SessionId">Unique id, chosen by the control plane.</param>
/// <param name="RemoteUfrag">The client's a=ice-ufrag: the second half of its STUN USERNAME.</param>
/// <param name="RemoteFingerprints">The client's a=fingerprint values; its certificate must match one.</param>
/// <param name="LocalDtlsRole">Server when we answered setup:passive (the usual case), client for setup:active.</param>
/// <param name="TransportWideCcExtensionId">RFC 8285 id of the publisher's transport-wide sequence numbers, when
/// transport-cc was negotiated: the session then answers with transport-cc feedback.</param>
/// <param name="RemotePassword">The client's a=ice-pwd: signs the check we send a new address before the session moves
/// there (return routability). Null: the session never moves from the address it was nominated on.</param>
/// <param name="AudioLevelExtensionId">RFC 8285 id of the publisher's RFC 6464 audio level: its audio tracks' levels are
/// measured (active speaker).</param>
/// <param name="RembAbsSendTimeExtensionId">Id of the publisher's abs-send-time when it negotiated goog-remb and not
/// transport-cc: the session then sends it REMB (draft-alvestrand-rmcat-remb-03) from a receive-side estimate.</param>
public sealed record MediaSessionRequest(
    string SessionId,
    string RemoteUfrag,
    IReadOnlyList<DtlsFingerprint> RemoteFingerprints,
    DtlsRole LocalDtlsRole,
    IReadOnlyList<PublishedTrack> Publish,
    IReadOnlyList<SubscribedTrack> Subscribe,
    int? TransportWideCcExtensionId = null,
    string? RemotePassword = null,
    int? AudioLevelExtensionId = null,
    int? RembAbsSendTimeExtensionId = null);

/// <summary>What goes into the SDP answer for that session.</summary>
public sealed record MediaSessionAnswer(
    string SessionId,
    string LocalUfrag,
    string LocalPassword,
    DtlsFingerprint LocalFingerprint,
    string Address,
    int Port);
