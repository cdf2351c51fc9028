namespace Gateway.Sdp;

/// <summary>a=fmtp:&lt;format&gt; &lt;format specific parameters&gt; (RFC 8866 §6.15). Parameters are kept as
/// written; <see cref="Parameters"/> splits the usual <c>key=value;key=value</c> form.</summary>
public sealed record SdpFmtp(int PayloadType, string Value)
{
    /// <summary>Parameters by lower-case name; a parameter without '=' maps to the empty string.
    /// The first occurrence of a name wins.</summary>
    public IReadOnlyDictionary<string, string> Parameters => parameters ??= Split(Value);

    private IReadOnlyDictionary<string, string>? parameters;

    public string? Get(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    private static Dictionary<string, string> Split(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq].Trim();
            var val = eq < 0 ? string.Empty : part[(eq + 1)..].Trim();
            result.TryAdd(key, val);
        }
        return result;
    }
}
