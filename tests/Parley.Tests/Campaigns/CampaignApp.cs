using Microsoft.Extensions.DependencyInjection;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Campaigns;

/// <summary>A clock the test moves by hand; timers stay real so the workers keep polling.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Set(DateTime utc) => Interlocked.Exchange(ref ticks, DateTime.SpecifyKind(utc, DateTimeKind.Utc).Ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>Parley on the Telnyx carrier (a local fake over real HTTP) with a hand-moved clock and small campaign rates.</summary>
public sealed class CampaignApp : IAsyncLifetime
{
    public const int PerNumberPerMinute = 10;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 13, 0, 0, TimeSpan.Zero));

    public FakeTelnyx Telnyx { get; private set; } = null!;

    public ParleyApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Telnyx = await FakeTelnyx.StartAsync();
        var settings = Telnyx.AppSettings();
        settings["Parley:Campaigns:PerNumberPerMinute"] = PerNumberPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Parley:Campaigns:PerTenantPerMinute"] = "100";
        settings["Parley:Campaigns:BatchSize"] = "25";
        App = new ClockedApp(settings, Clock);
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Telnyx.DisposeAsync();
    }

    public async Task<HttpResponseMessage> PostWebhookAsync(string json)
    {
        using var client = App.CreateClient();
        using var request = Telnyx.SignedWebhook(json, Clock.GetUtcNow());
        return await client.SendAsync(request);
    }

    private sealed class ClockedApp(IDictionary<string, string?> settings, ManualClock clock) : ParleyApp(settings)
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(clock);
    }
}
