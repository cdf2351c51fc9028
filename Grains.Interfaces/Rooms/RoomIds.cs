namespace Grains.Interfaces.Rooms;

/// <summary>Rules for room ids, identities and stream ids: 1-64 of [A-Za-z0-9._-].</summary>
public static class RoomIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
            return false;
        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return false;
        }
        return true;
    }

    /// <summary>Key of a participant grain: room and identity.</summary>
    public static string ParticipantKey(string roomId, string identity) => $"{roomId}/{identity}";

    /// <summary>Key of a stream grain: room and stream id.</summary>
    public static string StreamKey(string roomId, string streamId) => $"{roomId}/{streamId}";
}
