namespace Gateway.Auth;

/// <summary>Grants carried in a token's space-separated <c>scope</c> claim.</summary>
[Flags]
public enum Grants
{
    None = 0,
    Admin = 1,
    Publish = 2,
    Subscribe = 4,
}

public static class GrantNames
{
    public static string ToScope(Grants grants) => string.Join(' ',
        new[] { (Grants.Admin, "admin"), (Grants.Publish, "publish"), (Grants.Subscribe, "subscribe") }
            .Where(g => grants.HasFlag(g.Item1)).Select(g => g.Item2));

    /// <summary>Parses a scope; unknown words make it invalid (returns false).</summary>
    public static bool TryParseScope(string? scope, out Grants grants)
    {
        grants = Grants.None;
        if (scope is null)
            return true;
        foreach (var word in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (word)
            {
                case "admin": grants |= Grants.Admin; break;
                case "publish": grants |= Grants.Publish; break;
                case "subscribe": grants |= Grants.Subscribe; break;
                default: return false;
            }
        }
        return true;
    }
}
