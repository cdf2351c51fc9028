using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gateway.WebRtc;

/// <summary>
/// Wall time of each step of one WHIP/WHEP request, logged at Debug (category <c>Gateway.WebRtc.WhepHandler</c> /
/// <c>WhipHandler</c>) so a slow join can be taken apart in production without a profiler: which grain call or
/// write took the time. Costs one timestamp per step; nothing is formatted unless Debug is on.
/// </summary>
internal sealed class StepTimings
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly List<(string Step, long At)> _laps = new(8);

    public void Lap(string step) => _laps.Add((step, Stopwatch.GetTimestamp()));

    public override string ToString()
    {
        var text = new StringBuilder();
        long previous = _start;
        foreach (var (step, at) in _laps)
        {
            AppendMs(text.Append(step).Append(' '), previous, at).Append(", ");
            previous = at;
        }
        return AppendMs(text.Append("total "), _start, previous).ToString();
    }

    private static StringBuilder AppendMs(StringBuilder text, long from, long to) =>
        text.Append(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" ms");
}
