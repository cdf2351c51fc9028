using System.Collections.Immutable;

namespace Grains.Interfaces.Media;

[GenerateSerializer, Alias("Rtc.ClientSessionStatus")]
public enum ClientSessionStatus
{
    None = 0,
    /// <summary>Answer sent; waiting for ICE and DTLS.</summary>
    Opening = 1,
    Connected = 2,
    Closed = 3,
}

/// <summary>One WHIP or WHEP session: who, where, and which streams it publishes or receives.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.ClientSessionInfo")]
public sealed record ClientSessionInfo
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string RoomId { get; init; }
    [Id(2)] public required string Identity { get; init; }
    [Id(3)] public required ClientSessionKind Kind { get; init; }
    [Id(4)] public required string NodeId { get; init; }
    [Id(5)] public ImmutableArray<string> StreamIds { get; init; } = [];
    [Id(6)] public ClientSessionStatus Status { get; init; }
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public string? CloseReason { get; init; }
    /// <summary>The SDP answer, kept so an ICE restart or a repeated GET can be answered consistently.</summary>
    [Id(9)] public string AnswerSdp { get; init; } = "";
    /// <summary>Entity tag of the ICE session (RFC 9725 §4.3.1); changes on ICE restart.</summary>
    [Id(10)] public string ETag { get; init; } = "";
}
