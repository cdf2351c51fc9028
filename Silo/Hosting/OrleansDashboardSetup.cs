using Orleans.Dashboard;

namespace Silo.Hosting;

/// <summary>
/// The Orleans Dashboard (grains, silos, call rates, live log), served by the silo's web app at
/// <c>Dashboard:Path</c> (default <c>/dashboard</c>) when <c>Dashboard:Enabled</c> is true. Off by default: it has
/// no authentication of its own and shows every grain type and silo (README "Orleans Dashboard").
/// </summary>
public static class OrleansDashboardSetup
{
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Dashboard:Enabled", false);

    public static void AddTo(ISiloBuilder silo, IConfiguration configuration)
    {
        if (IsEnabled(configuration))
            silo.AddDashboard();
    }

    public static void Map(WebApplication app)
    {
        if (IsEnabled(app.Configuration))
            app.MapOrleansDashboard(app.Configuration["Dashboard:Path"] ?? "/dashboard");
    }
}
