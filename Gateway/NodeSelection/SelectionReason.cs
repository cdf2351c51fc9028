namespace Gateway.NodeSelection;

/// <summary>Why a node was chosen (returned by GET /v1/nodes/best as camelCase text).</summary>
public enum SelectionReason
{
    /// <summary>The client's region has a live node; the least loaded of them.</summary>
    RegionMatch,

    /// <summary>The client's region has none; the least loaded node of the nearest configured region that has one.</summary>
    NearestRegion,

    /// <summary>Neither the client's region nor its neighbours have a live node; the least loaded node anywhere.</summary>
    AnyNode,

    /// <summary>The client's region is not known (no table entry, no GeoIP answer); the least loaded node anywhere.</summary>
    UnknownRegion,
}
