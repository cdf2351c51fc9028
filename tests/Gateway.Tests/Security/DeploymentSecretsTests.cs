using Gateway.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Rtc.TestSupport;
using Silo.Hosting;

namespace Gateway.Tests.Security;

/// <summary>
/// Issue 20 item 1 (and the certificate half of item 2): a silo or standalone gateway on a cluster profile refuses to
/// start with the development API key pair, a secret shorter than 32 bytes, or no cluster certificate, and says which
/// setting to set. Nothing is reached over the network: the checks run while the host is built.
/// </summary>
public sealed class DeploymentSecretsTests : IDisposable
{
    private const string GoodKey = "deploy-key";
    private const string GoodSecret = "deploy-secret-0123456789abcdef0123456789";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rtc-secrets-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestClusterCertificate _certificate;

    public DeploymentSecretsTests() => _certificate = new TestClusterCertificate(Path.Combine(_dir, "cluster.pfx"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<string, string?, string?, string> RefusedPairs => new()
    {
        // profile, key, secret (null: not set), the setting the message must name
        { "AzureStorage", null, null, "Auth:ApiKey" },
        { "PostgreSql", null, null, "Auth:ApiKey" },
        { "AzureStorage", GoodKey, null, "Auth:ApiSecret" },
        { "PostgreSql", ApiKeyOptions.DevelopmentKey, GoodSecret, "Auth:ApiKey" },
        { "AzureStorage", GoodKey, "short-secret-0123456789abcdef", "Auth:ApiSecret" },
        { "PostgreSql", GoodKey, new string('s', 31), "Auth:ApiSecret" },
    };

    [Theory]
    [MemberData(nameof(RefusedPairs))]
    public void A_cluster_silo_refuses_the_development_pair_and_short_secrets(string profile, string? key, string? secret, string setting)
    {
        var build = () => SiloHost.Build([.. SiloArguments(profile), .. Keys(key, secret), .. _certificate.Arguments()]);
        build.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain(setting);
    }

    [Theory]
    [MemberData(nameof(RefusedPairs))]
    public void A_standalone_gateway_on_a_cluster_profile_refuses_the_development_pair_and_short_secrets(string profile, string? key, string? secret, string setting)
    {
        var web = GatewayBuilder(profile, key, secret, withCertificate: true);
        var build = () => web.AddRtcClusterClient();
        build.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain(setting);
    }

    [Theory]
    [InlineData("AzureStorage")]
    [InlineData("PostgreSql")]
    public async Task Cluster_profiles_refuse_to_start_without_the_cluster_certificate(string profile)
    {
        var silo = () => SiloHost.Build([.. SiloArguments(profile), .. Keys(GoodKey, GoodSecret)]);
        silo.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Cluster:CertificatePath");
        var gateway = () => GatewayBuilder(profile, GoodKey, GoodSecret, withCertificate: false).AddRtcClusterClient();
        gateway.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Cluster:CertificatePath");

        // With a good pair, the certificate (and the silo's relay key) both build.
        await using var app = SiloHost.Build([.. SiloArguments(profile), .. Keys(GoodKey, GoodSecret), .. _certificate.Arguments(), .. RelayKey(GoodRelayKey)]);
        GatewayBuilder(profile, GoodKey, GoodSecret, withCertificate: true).AddRtcClusterClient();
    }

    public static TheoryData<string, string?> RefusedRelayKeys => new()
    {
        // profile, Relay:ClusterKey (null: not set)
        { "AzureStorage", null },
        { "PostgreSql", null },
        { "AzureStorage", "   " },
        { "PostgreSql", "not base64!" },
        { "AzureStorage", Convert.ToBase64String(new byte[15]) },
    };

    [Theory]
    [MemberData(nameof(RefusedRelayKeys))]
    public void A_cluster_silo_refuses_to_start_without_a_valid_relay_cluster_key(string profile, string? relayKey)
    {
        var build = () => SiloHost.Build([.. SiloArguments(profile), .. Keys(GoodKey, GoodSecret), .. _certificate.Arguments(), .. RelayKey(relayKey)]);
        build.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Relay:ClusterKey");
    }

    [Theory]
    [InlineData("AzureStorage")]
    [InlineData("PostgreSql")]
    public async Task A_cluster_silo_with_a_relay_cluster_key_of_16_bytes_builds(string profile)
    {
        await using var app = SiloHost.Build([.. SiloArguments(profile), .. Keys(GoodKey, GoodSecret), .. _certificate.Arguments(),
            .. RelayKey(Convert.ToBase64String(new byte[16]))]);
        app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Relay:ClusterKey"].Should().NotBeNull();
    }

    [Fact]
    public async Task The_embedded_profile_builds_without_a_relay_cluster_key()
    {
        // It derives one from the cluster and service ids at start-up, with a warning (RelaySetup).
        await using var app = SiloHost.Build(["--Storage:DataDirectory", Path.Combine(_dir, "data"), "--urls", "http://127.0.0.1:0"]);
        app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Relay:ClusterKey"].Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task The_embedded_profile_keeps_the_printed_development_pair()
    {
        await using var app = SiloHost.Build(["--Storage:DataDirectory", Path.Combine(_dir, "data"), "--urls", "http://127.0.0.1:0"]);
        var keys = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiKeyOptions>>().Value;
        keys.IsDevelopmentPair.Should().BeTrue();
    }

    private string[] SiloArguments(string profile) =>
    [
        "--Cluster:Provider", profile, "--Cluster:ConnectionString", "UseDevelopmentStorage=true",
        "--Storage:DataDirectory", Path.Combine(_dir, "data"), "--urls", "http://127.0.0.1:0",
    ];

    private static readonly string GoodRelayKey = Convert.ToBase64String("deploy-test-relay-cluster-key-32"u8);

    private static string[] RelayKey(string? key) => key is null ? [] : ["--Relay:ClusterKey", key];

    private static string[] Keys(string? key, string? secret) =>
        [.. key is null ? [] : new[] { "--Auth:ApiKey", key }, .. secret is null ? [] : new[] { "--Auth:ApiSecret", secret }];

    private WebApplicationBuilder GatewayBuilder(string profile, string? key, string? secret, bool withCertificate)
    {
        var web = WebApplication.CreateSlimBuilder();
        web.Configuration["Cluster:Provider"] = profile;
        web.Configuration["Cluster:ConnectionString"] = "UseDevelopmentStorage=true";
        if (key is not null)
            web.Configuration["Auth:ApiKey"] = key;
        if (secret is not null)
            web.Configuration["Auth:ApiSecret"] = secret;
        if (withCertificate)
        {
            web.Configuration["Cluster:CertificatePath"] = _certificate.Path;
            web.Configuration["Cluster:CertificatePassword"] = _certificate.Password;
        }
        return web;
    }
}
