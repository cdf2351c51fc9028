using Gateway.Tests.WebRtc;

namespace Gateway.Tests.Browser;

/// <summary>
/// Browser tests share one silo and run alone: the `ss` check counts the UDP ports of this test process,
/// which must hold no other silo's media port while it runs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<SiloProcessFixture>
{
    public const string Name = "browser";
}
