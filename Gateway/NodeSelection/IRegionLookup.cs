using System.Net;

namespace Gateway.NodeSelection;

/// <summary>Maps a client address to the region label its silos carry (<c>Silo:Region</c>), or null when unknown.</summary>
public interface IRegionLookup
{
    string? RegionOf(IPAddress address);
}
