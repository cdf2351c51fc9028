namespace Grains.Events;

/// <summary>Another, different event is already stored at this (room, sequence).</summary>
public sealed class EventSequenceConflictException(string roomId, long sequence)
    : Exception($"Room '{roomId}' already has a different event at sequence {sequence}.")
{
    public string RoomId { get; } = roomId;
    public long Sequence { get; } = sequence;
}
