using System.Collections.Immutable;
using Gateway.Sdp;
using Grains.Interfaces.Media;

namespace Gateway.WebRtc;

/// <summary>A section's negotiated header extensions as the media node gets them (URI and the client's id).</summary>
internal static class HeaderExtensionSpecs
{
    public static ImmutableArray<HeaderExtensionSpec> Of(NegotiatedMedia media) =>
        [.. media.Extensions.Select(e => new HeaderExtensionSpec(e.Uri, e.Id))];
}
