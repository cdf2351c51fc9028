namespace Grains.Interfaces.Rooms;

/// <summary>A kicked identity that may not join the room again before <see cref="Until"/> (see <see cref="RoomOptions.KickBan"/>).</summary>
[GenerateSerializer, Immutable, Alias("Rtc.RoomBan")]
public sealed record RoomBan(
    [property: Id(0)] string Identity,
    [property: Id(1)] DateTimeOffset Until);
