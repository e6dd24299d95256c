using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Parley.Tests.Campaigns;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Booking;

/// <summary>Parley on the Telnyx fake, a real Radicale server, and a clock fixed on a Monday at 8:30 in Toronto, before
/// business hours open: the free times the agent offers are the same on every run.</summary>
public class BookingApp : IAsyncLifetime
{
    /// <summary>Monday 14 December 2026, 08:30 in America/Toronto (13:30 UTC).</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 14, 13, 30, 0, TimeSpan.Zero);

    public static readonly DateTime Today = new(2026, 12, 14);

    public ManualClock Clock { get; } = new(Now);

    public RadicaleServer Radicale { get; } = new();

    public FakeTelnyx Telnyx { get; private set; } = null!;

    public ParleyApp App { get; private set; } = null!;

    private static int numbers = 7600;

    public static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    /// <summary>Settings a subclass adds once its own fakes are up.</summary>
    protected virtual Task<Dictionary<string, string?>> MoreSettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    public virtual async Task InitializeAsync()
    {
        await Radicale.InitializeAsync();
        Telnyx = await FakeTelnyx.StartAsync();
        var settings = Telnyx.AppSettings();
        settings["Parley:Webhooks:AllowPrivateUrls"] = "true";
        foreach (var (key, value) in await MoreSettingsAsync())
        {
            settings[key] = value;
        }

        App = new ClockedApp(settings, Clock);
        _ = App.Server;
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Telnyx.DisposeAsync();
        await Radicale.DisposeAsync();
    }

    /// <summary>A tenant with its own calendar on Radicale, as the given user.</summary>
    public async Task<Booker> BookerAsync(int user = 0)
    {
        var tenant = await App.CreateTenantAsync(number: NextNumber());
        var (name, password) = RadicaleServer.Users[user];
        var url = await Radicale.CreateCalendarAsync(name, password);
        var saved = await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = url, username = name, password, slotMinutes = 30 });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        return new Booker(this, tenant, url, name, password, NextNumber());
    }

    private sealed class ClockedApp(IDictionary<string, string?> settings, ManualClock clock) : ParleyApp(settings)
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(clock);
    }
}

/// <summary>One texter talking to one tenant whose calendar is on Radicale.</summary>
public sealed record Booker(BookingApp Fixture, TenantClient Tenant, string CalendarUrl, string User, string Password, string Contact)
{
    public string? ConversationId { get; private set; }

    public IReadOnlyList<string> Replies => Fixture.Telnyx.Sends.Where(s => s.To == Contact).Select(s => s.Text).ToList();

    /// <summary>Texts the agent and waits for its turn to end; returns the reply, or null when it stayed silent.</summary>
    public async Task<string?> TextAsync(string text)
    {
        var before = Replies.Count;
        var seen = ConversationId is null ? 0 : (await ActivityAsync()).AsArray().Count;
        using (var client = Fixture.App.CreateClient())
        using (var request = Fixture.Telnyx.SignedWebhook(
            Fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", Contact, Tenant.Number, text), Fixture.Clock.GetUtcNow()))
        {
            (await client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        ConversationId ??= (await Eventually.GetAsync(
            () => Tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(Contact)}"), l => l.AsArray().Count == 1))[0]!["id"]!.GetValue<string>();
        var activity = (await Eventually.GetAsync(ActivityAsync, a => a.AsArray().Count > seen)).AsArray();
        if (!activity.Take(activity.Count - seen).Any(a => a!["kind"]!.GetValue<string>() == "Reply"))
        {
            return null;
        }

        await Eventually.GetAsync(() => Task.FromResult(Replies.Count), n => n > before);
        return Replies[^1];
    }

    public Task<JsonNode> ActivityAsync() => Tenant.Http.GetJsonAsync($"/api/activity?conversationId={ConversationId}");

    public Task<JsonNode> ConversationAsync() => Tenant.Http.GetJsonAsync($"/api/conversations/{ConversationId}");

    public async Task<List<JsonNode>> CallbacksAsync() => [.. (await Tenant.Http.GetJsonAsync("/api/callbacks")).AsArray().Select(c => c!)];

    public Task<List<Ical.Net.CalendarComponents.CalendarEvent>> EventsAsync() => RadicaleServer.EventsAsync(CalendarUrl, User, Password);

    /// <summary>Something the business put on its own calendar, local Toronto times.</summary>
    public Task BusyAsync(string uid, DateTime localStart, int minutes) => RadicaleServer.PutEventAsync(CalendarUrl, User, Password, uid, $"""
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20261201T000000Z
        DTSTART;TZID=America/Toronto:{localStart:yyyyMMdd'T'HHmmss}
        DTEND;TZID=America/Toronto:{localStart.AddMinutes(minutes):yyyyMMdd'T'HHmmss}
        SUMMARY:Viewing
        END:VEVENT
        """);

    /// <summary>Says who they are and gets the agent's offer of times.</summary>
    public async Task<string> GetOfferAsync(string opening = "Hi, this is Dana. I saw the listing on Elm St, could you give me a call?")
    {
        var offer = await TextAsync(opening);
        Assert.NotNull(offer);
        return offer;
    }
}
