namespace MediaPlane.Routing;

/// <summary>Bounds of simulcast on the media plane (documented in README.md, "Simulcast").</summary>
internal static class SimulcastLimits
{
    /// <summary>Layers per track (the gateway answers at most this many RIDs, RFC 8853 §5.3).</summary>
    public const int MaxLayers = 3;

    /// <summary>
    /// Distinct unknown SSRCs a publishing session may send before the node stops looking into them: each
    /// layer's media and RTX SSRC of a few simulcast tracks, with room for an encoder restart. Past it, packets of
    /// unknown SSRCs are dropped without reading their extensions.
    /// </summary>
    public const int MaxProbedSsrcsPerSession = 16;

    /// <summary>A layer switch waits for a keyframe; its PLI is repeated after this long without one…</summary>
    public const long KeyframeRetryMillis = 1000;

    /// <summary>…up to this many PLIs per switch (then the publisher's periodic keyframe will do).</summary>
    public const int MaxKeyframeRequestsPerSwitch = 3;
}
