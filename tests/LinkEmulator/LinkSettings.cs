using System.Globalization;

namespace LinkEmulator;

/// <summary>
/// Impairments of one directed link. Delay and jitter in milliseconds (each packet waits delay plus a uniform
/// draw in [-jitter, +jitter], never below zero, so jitter may reorder, as netem's does); loss in percent
/// (independent per packet); rate in kilobits per second (0 = unlimited) with a queue of at most
/// <see cref="MaxQueueMilliseconds"/> of backlog, beyond which packets are tail-dropped.
/// </summary>
public sealed record LinkSettings(double DelayMs, double JitterMs, double LossPercent, double RateKbit)
{
    public const double MaxQueueMilliseconds = 500;

    public static readonly LinkSettings Clear = new(0, 0, 0, 0);

    /// <summary>One line of links.conf: "FROM TO DELAY_MS JITTER_MS LOSS_PCT RATE_KBIT"; false on anything else.</summary>
    public static bool TryParseLine(string line, out int from, out int to, out LinkSettings settings)
    {
        from = to = 0;
        settings = Clear;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6 || !int.TryParse(parts[0], out from) || !int.TryParse(parts[1], out to))
            return false;
        var numbers = new double[4];
        for (int i = 0; i < 4; i++)
            if (!double.TryParse(parts[2 + i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] < 0)
                return false;
        if (numbers[2] > 100)
            return false;
        settings = new LinkSettings(numbers[0], numbers[1], numbers[2], numbers[3]);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"delay {DelayMs}ms jitter {JitterMs}ms loss {LossPercent}% rate {(RateKbit == 0 ? "unlimited" : RateKbit + "kbit")}");
}
