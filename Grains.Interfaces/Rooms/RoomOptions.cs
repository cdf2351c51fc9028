namespace Grains.Interfaces.Rooms;

/// <summary>Options a room is created with. Zero for a limit means "no limit".</summary>
[GenerateSerializer, Immutable, Alias("Rtc.RoomOptions")]
public sealed record RoomOptions
{
    public static readonly RoomOptions Default = new();

    /// <summary>Most participants present at once (0 = unlimited).</summary>
    [Id(0)] public int MaxParticipants { get; init; }

    /// <summary>Most participants publishing at least one stream at once (0 = unlimited).</summary>
    [Id(1)] public int MaxPublishers { get; init; }

    /// <summary>A room with no participants for this long is closed (zero = never).</summary>
    [Id(2)] public TimeSpan EmptyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Opaque application metadata, at most 4 KiB.</summary>
    [Id(3)] public string Metadata { get; init; } = "";

    /// <summary>
    /// How long a kicked identity may not join again (zero = may rejoin at once). An admin's join, or an explicit
    /// un-ban, lets it in earlier.
    /// </summary>
    [Id(4)] public TimeSpan KickBan { get; init; } = TimeSpan.FromMinutes(10);
}
