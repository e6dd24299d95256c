using Parley.Tests.Infrastructure;

namespace Parley.Tests.Knowledge.Import;

/// <summary>The real app allowed to fetch private addresses (the local test site), with small limits so the
/// size and time cases run quickly, and the test site it fetches from.</summary>
public sealed class ImportApp() : ParleyApp(new Dictionary<string, string?>
{
    ["Parley:Webhooks:AllowPrivateUrls"] = "true",
    ["Parley:Knowledge:MaxDocumentBytes"] = "65536",
    ["Parley:Knowledge:FetchTimeout"] = "00:00:03",
}), IAsyncLifetime
{
    public TestWebSite Site { get; private set; } = null!;

    public async Task InitializeAsync() => Site = await TestWebSite.StartAsync();

    async Task IAsyncLifetime.DisposeAsync() => await Site.DisposeAsync();
}
