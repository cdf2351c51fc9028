namespace Grains.Interfaces.Rooms;

/// <summary>Why a room operation was refused; the gateway maps it to an HTTP status.</summary>
[GenerateSerializer, Alias("Rtc.RoomErrorCode")]
public enum RoomErrorCode
{
    /// <summary>404</summary>
    NotFound = 1,
    /// <summary>409: the room is closed.</summary>
    Closed = 2,
    /// <summary>409: a limit (participants, publishers) would be exceeded.</summary>
    LimitReached = 3,
    /// <summary>409: conflicts with the current state (e.g. created with other options, duplicate stream).</summary>
    Conflict = 4,
    /// <summary>403: the participant lacks the permission.</summary>
    Forbidden = 5,
    /// <summary>400: malformed input.</summary>
    Invalid = 6,
}

/// <summary>A refused room operation, carried across grain calls.</summary>
[GenerateSerializer, Alias("Rtc.RoomException")]
public sealed class RoomException : Exception
{
    public RoomException(RoomErrorCode code, string message) : base(message) => Code = code;

    [Id(0)] public RoomErrorCode Code { get; }
}
