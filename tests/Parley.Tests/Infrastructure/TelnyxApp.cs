using Parley.Tests.Fakes;

namespace Parley.Tests.Infrastructure;

/// <summary>Parley on the Telnyx carrier, pointed at a local server that speaks Telnyx's wire format and
/// signs its webhooks with a key Parley is configured to trust.</summary>
public class TelnyxApp : IAsyncLifetime
{
    private readonly Dictionary<string, string?> extra;

    public TelnyxApp()
        : this([])
    {
    }

    protected TelnyxApp(Dictionary<string, string?> extra) => this.extra = extra;

    public FakeTelnyx Telnyx { get; private set; } = null!;

    public ParleyApp App { get; private set; } = null!;

    /// <summary>Settings a subclass adds once its own fakes are up.</summary>
    protected virtual Task<Dictionary<string, string?>> MoreSettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    public virtual async Task InitializeAsync()
    {
        Telnyx = await FakeTelnyx.StartAsync();
        var settings = Telnyx.AppSettings();
        foreach (var (key, value) in extra.Concat(await MoreSettingsAsync()))
        {
            settings[key] = value;
        }

        App = new ConfiguredParleyApp(settings);
        _ = App.Server;
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Telnyx.DisposeAsync();
    }

    /// <summary>Posts a signed webhook as Telnyx would.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string json, DateTimeOffset? timestamp = null)
    {
        using var client = App.CreateClient();
        using var request = Telnyx.SignedWebhook(json, timestamp);
        return await client.SendAsync(request);
    }
}
