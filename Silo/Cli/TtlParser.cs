using System.Globalization;

namespace Silo.Cli;

/// <summary>Parses durations such as <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c> or <c>01:30:00</c>.</summary>
public static class TtlParser
{
    public static bool TryParse(string? text, out TimeSpan ttl)
    {
        ttl = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        char unit = text[^1];
        if (char.IsAsciiLetter(unit) && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0)
        {
            double? seconds = unit switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, 'd' => n * 86400, _ => null };
            if (seconds is null || seconds > TimeSpan.FromDays(3650).TotalSeconds)
                return false;
            ttl = TimeSpan.FromSeconds(seconds.Value);
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out ttl) && ttl > TimeSpan.Zero;
    }
}
