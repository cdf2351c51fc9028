using System.Text.Json;
using System.Text.Json.Serialization;
using Grains.Interfaces.Events;
using Grains.Interfaces.Rooms;

namespace Grains.Events;

/// <summary>
/// The stored form of an event: System.Text.Json (source-generated), camelCase, enums by name, nulls
/// omitted. Readable with any JSON tool and stable across releases as long as property names are.
/// </summary>
public static class RoomEventJson
{
    public static string Serialize(RoomEvent e) => JsonSerializer.Serialize(e, RoomJsonContext.Default.RoomEvent);

    public static RoomEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, RoomJsonContext.Default.RoomEvent)
        ?? throw new JsonException("A stored room event is null.");

    public static string Serialize(RoomSnapshot s) => JsonSerializer.Serialize(s, RoomJsonContext.Default.RoomSnapshot);

    /// <summary>A snapshot as indented JSON, for people (the CLI).</summary>
    public static string SerializeIndented(RoomSnapshot s) => JsonSerializer.Serialize(s, Indented.RoomSnapshot);

    private static readonly RoomJsonContext Indented = new(new JsonSerializerOptions(RoomJsonContext.Default.Options) { WriteIndented = true });
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(RoomEvent))]
[JsonSerializable(typeof(RoomSnapshot))]
[JsonSerializable(typeof(List<RoomEvent>))]
public sealed partial class RoomJsonContext : JsonSerializerContext;
