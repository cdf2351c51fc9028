using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Observability;

/// <summary>
/// Every <c>[LoggerMessage]</c> in the product assemblies has an explicit event id, used once across the solution:
/// an operator filters on ids, and two messages sharing one are indistinguishable there.
/// </summary>
public sealed class LogEventIdTests
{
    // One type from each product assembly (Silo's entry point, gateway, grains, signal queues, media plane, interfaces).
    private static readonly Assembly[] ProductAssemblies =
    [
        typeof(Silo.Hosting.SiloHost).Assembly,
        typeof(Gateway.GatewayHosting).Assembly,
        typeof(Grains.GrainsHosting).Assembly,
        typeof(Grains.SignalQueues.SignalQueueStreams).Assembly,
        typeof(MediaPlane.WebRtc.IMediaNode).Assembly,
        typeof(Grains.Interfaces.Media.MediaNodeInfo).Assembly,
    ];

    private static IEnumerable<(int EventId, string Where)> LoggerMessages() =>
        from assembly in ProductAssemblies.Distinct()
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (attribute.EventId, $"{type.FullName}.{method.Name}");

    [Fact]
    public void Every_logger_message_has_its_own_event_id()
    {
        var messages = LoggerMessages().ToList();
        messages.Should().HaveCountGreaterThan(40, "the product logs through [LoggerMessage] methods in every assembly");

        messages.Where(m => m.EventId <= 0).Should().BeEmpty("an id of 0 or none (-1) cannot be filtered on");
        var shared = messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Where))}").ToList();
        shared.Should().BeEmpty("each event id names one message");
    }

    [Fact]
    public void Session_lifecycle_steps_have_the_documented_ids()
    {
        var lifecycle = LoggerMessages().Where(m => m.Where.StartsWith("Grains.Media.SessionLifecycleLog.", StringComparison.Ordinal))
            .ToDictionary(m => m.Where["Grains.Media.SessionLifecycleLog.".Length..], m => m.EventId);
        lifecycle.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["LogOpened"] = 1410, ["LogConnected"] = 1411, ["LogClosed"] = 1412, ["LogKicked"] = 1413, ["LogReconnectRequested"] = 1414,
        });
    }
}
