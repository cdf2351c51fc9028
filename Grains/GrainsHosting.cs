using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grains;

/// <summary>Services the grains need besides storage.</summary>
public static class GrainsHosting
{
    public static IServiceCollection AddRtcGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<Rooms.RoomDirectoryOptions>().BindConfiguration("Rooms");
        services.AddMetrics();
        services.AddSingleton<IIncomingGrainCallFilter, Observability.GrainCallMetrics>();
        return services;
    }
}
