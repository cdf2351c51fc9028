namespace Rtc.TestSupport;

/// <summary>
/// The suite's one way to wait for something eventual: poll with a bounded wait (never a fixed sleep), so a loaded
/// machine only makes a test slower, and a condition that never holds fails with what was awaited.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Until <paramref name="condition"/> holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan? within = null, string? what = null) =>
        UntilAsync(() => Task.FromResult(condition()), within, what);

    /// <inheritdoc cref="UntilAsync(Func{bool}, TimeSpan?, string?)"/>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan? within = null, string? what = null) =>
        UntilAsync(condition, within ?? DefaultWithin, () => what ?? "condition not met in time");

    /// <summary>As above; <paramref name="describe"/> says what was awaited and what was seen, when it times out.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not within {within}: {describe()}");
            await Task.Delay(Interval);
        }
    }

    /// <summary>
    /// Reads until <paramref name="done"/> accepts the value, and returns it. A read that throws is retried until the
    /// deadline (the grain may be re-activating on another silo); the timeout names the last value seen.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            T value;
            try
            {
                value = await read();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(Interval);
                continue;
            }
            if (done(value))
                return value;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"Not within {within}: {what}. Last seen: {value}");
            await Task.Delay(Interval);
        }
    }
}
