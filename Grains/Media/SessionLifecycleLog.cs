using Grains.Interfaces.Media;
using Microsoft.Extensions.Logging;

namespace Grains.Media;

/// <summary>
/// One Information line per step of a WHIP/WHEP session's life, each with the same structured fields (RoomId,
/// Identity, SessionId, NodeId), so an operator can follow one session or one participant by filtering on a field.
/// Category: <c>Grains.Media.ClientSessionGrain</c>; event ids 1410-1414 (README "Logs").
/// </summary>
internal static partial class SessionLifecycleLog
{
    public static void Opened(ILogger logger, ClientSessionInfo s) => LogOpened(logger, s.RoomId, s.Identity, s.SessionId, s.NodeId, s.Kind);

    public static void Connected(ILogger logger, ClientSessionInfo s) => LogConnected(logger, s.RoomId, s.Identity, s.SessionId, s.NodeId, s.Kind);

    public static void Closed(ILogger logger, ClientSessionInfo s, string reason) => LogClosed(logger, s.RoomId, s.Identity, s.SessionId, s.NodeId, s.Kind, reason);

    public static void Kicked(ILogger logger, ClientSessionInfo s, string reason) => LogKicked(logger, s.RoomId, s.Identity, s.SessionId, s.NodeId, reason);

    public static void ReconnectRequested(ILogger logger, ClientSessionInfo s, string reason) => LogReconnectRequested(logger, s.RoomId, s.Identity, s.SessionId, s.NodeId, reason);

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "Session opened: room {RoomId}, identity {Identity}, session {SessionId}, node {NodeId}, {Kind}")]
    private static partial void LogOpened(ILogger logger, string roomId, string identity, string sessionId, string nodeId, ClientSessionKind kind);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Information, Message = "Session connected: room {RoomId}, identity {Identity}, session {SessionId}, node {NodeId}, {Kind}")]
    private static partial void LogConnected(ILogger logger, string roomId, string identity, string sessionId, string nodeId, ClientSessionKind kind);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Information, Message = "Session closed: room {RoomId}, identity {Identity}, session {SessionId}, node {NodeId}, {Kind}, reason {Reason}")]
    private static partial void LogClosed(ILogger logger, string roomId, string identity, string sessionId, string nodeId, ClientSessionKind kind, string reason);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Information, Message = "Session kicked: room {RoomId}, identity {Identity}, session {SessionId}, node {NodeId}, reason {Reason}")]
    private static partial void LogKicked(ILogger logger, string roomId, string identity, string sessionId, string nodeId, string reason);

    [LoggerMessage(EventId = 1414, Level = LogLevel.Warning, Message = "Session reconnect requested: room {RoomId}, identity {Identity}, session {SessionId}, node {NodeId}, reason {Reason}")]
    private static partial void LogReconnectRequested(ILogger logger, string roomId, string identity, string sessionId, string nodeId, string reason);
}
