namespace Grains;

/// <summary>Splits the "room/name" keys of participant and stream grains (room ids contain no '/').</summary>
internal static class GrainKeys
{
    public static string RoomOf(string key) => key[..key.IndexOf('/')];

    public static string NameOf(string key) => key[(key.IndexOf('/') + 1)..];
}
