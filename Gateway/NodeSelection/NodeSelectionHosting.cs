using Gateway.WebRtc;
using Microsoft.Extensions.Options;

namespace Gateway.NodeSelection;

/// <summary>Registers node selection (section "NodeSelection"); the policy is built, and checked, when first used.</summary>
public static class NodeSelectionHosting
{
    public static IServiceCollection AddNodeSelection(this IServiceCollection services, IConfiguration configuration)
    {
        // Checked when the host starts: a bad CIDR or an unreadable GeoIP file stops the gateway with a clear message.
        services.AddOptions<NodeSelectionOptions>().Bind(configuration.GetSection(NodeSelectionOptions.Section))
            .Validate(Check, "invalid NodeSelection configuration").ValidateOnStart();
        services.AddSingleton(sp => NodeSelectionPolicy.FromOptions(sp.GetRequiredService<IOptions<NodeSelectionOptions>>().Value));
        services.AddSingleton<ClusterMembershipView>();
        services.AddSingleton<NodeSelector>();
        return services;
    }

    private static bool Check(NodeSelectionOptions options)
    {
        // Building the policy is the check; its exception names the bad entry and is clearer than a bool.
        (NodeSelectionPolicy.FromOptions(options).Regions as IDisposable)?.Dispose();
        return true;
    }
}
