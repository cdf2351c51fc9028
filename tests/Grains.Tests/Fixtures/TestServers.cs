namespace Grains.Tests.Fixtures;

/// <summary>
/// Connection strings of the real servers some tests need. ./test.sh starts Azurite and PostgreSQL and
/// sets these variables; without them those tests fail (they never skip) and say what to set.
/// </summary>
public static class TestServers
{
    public const string AzuriteVariable = "RTC_TEST_AZURITE";
    public const string PostgresVariable = "RTC_TEST_POSTGRES";

    /// <summary>e.g. <c>UseDevelopmentStorage=true</c> (Azurite on 127.0.0.1:10000-10002).</summary>
    public static string Azurite => Require(AzuriteVariable, "UseDevelopmentStorage=true");

    /// <summary>e.g. <c>Host=127.0.0.1;Port=5432;Username=rtc;Password=rtc;Database=rtc</c>.</summary>
    public static string Postgres => Require(PostgresVariable, "Host=127.0.0.1;Port=5432;Username=rtc;Password=rtc;Database=rtc");

    private static string Require(string variable, string example) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"This test needs a real server: set {variable} (./test.sh does), e.g. {variable}='{example}'.");
}
