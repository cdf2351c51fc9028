using Gateway.Auth;
using Grains.Interfaces.Rooms;

namespace Gateway.Api;

/// <summary>Checks shared by the room-scoped endpoints: valid id, token scope, room exists.</summary>
public static class RoomAccess
{
    /// <summary>Validates the id, requires a grant for the room (403), then that the room exists (404).</summary>
    public static async Task<(string RoomId, IRoomGrain Room, RoomInfo Info)> RequireRoomAsync(
        IGrainFactory grains, Caller caller, string? roomId, Func<Caller, string, bool> allowed, string deniedDetail)
    {
        string id = RequestInput.RequireId(roomId, "room id");
        // Scope before existence: a token for another room must not learn which rooms exist.
        if (!allowed(caller, id))
            throw ApiProblem.Forbidden(deniedDetail);
        var room = grains.GetGrain<IRoomGrain>(id);
        var info = await room.GetAsync();
        if (info is null || info.Status == RoomStatus.None)
            throw ApiProblem.NotFound($"Room '{id}' does not exist.");
        return (id, room, info);
    }

    public static bool Member(Caller caller, string roomId) => caller.IsMemberOf(roomId);

    public static bool Admin(Caller caller, string roomId) => caller.IsAdminOf(roomId);

    public static bool InScope(Caller caller, string roomId) => caller.CoversRoom(roomId);

    public const string NotMember = "The token grants no access to this room.";
    public const string NotAdmin = "This operation needs the admin grant for this room.";

    /// <summary>Free-text fields have a bound so that nobody stores megabytes in a room.</summary>
    public static string? RequireText(string? value, string name, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
            throw ApiProblem.BadRequest($"{name} must be at most {maxLength} characters.");
        return value;
    }

    public const int MaxMetadataLength = 4096;
    public const int MaxReasonLength = 256;
}
