using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Parley.Tests.Campaigns;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Privacy;

/// <summary>Parley on the Telnyx fake with every log record kept, at a fixed hour inside quiet-hours windows.</summary>
public sealed class LoggedApp : IAsyncLifetime
{
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 6, 2, 17, 0, 0, TimeSpan.Zero));

    public FakeTelnyx Telnyx { get; private set; } = null!;

    public ParleyApp App { get; private set; } = null!;

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public async Task InitializeAsync()
    {
        Telnyx = await FakeTelnyx.StartAsync();
        var settings = Telnyx.AppSettings();
        settings["Logging:LogLevel:Default"] = "Debug";
        App = new Logged(settings, Clock);
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Telnyx.DisposeAsync();
    }

    public async Task PostWebhookAsync(string json)
    {
        using var client = App.CreateClient();
        using var request = Telnyx.SignedWebhook(json, Clock.GetUtcNow());
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
    }

    private sealed class Logged(IDictionary<string, string?> settings, ManualClock clock) : ParleyApp(settings)
    {
        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddFakeLogging();
        }
    }
}

/// <summary>Phone numbers and message text are personal data: they may reach Debug, never anything above it.</summary>
public sealed class LogPrivacyTests(LoggedApp fixture) : IClassFixture<LoggedApp>
{
    private static int numbers = 7000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    [Fact]
    public async Task No_phone_number_or_message_text_is_logged_above_debug_on_the_main_paths()
    {
        var tenant = await fixture.App.CreateTenantAsync(NextNumber(), credit: 100);
        var secrets = new List<string> { tenant.Number };
        async Task<string> TextAsync(string from, string text)
        {
            secrets.Add(text);
            await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", from, tenant.Number, text));
            return text;
        }

        // An inbound text the agent answers, and the delivery report for the answer.
        var buyer = NextNumber();
        secrets.Add(buyer);
        await TextAsync(buyer, "Hi, I saw your sign on Birchwood Crescent, is the house still for sale?");
        var reply = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.FirstOrDefault(s => s.To == buyer)), s => s is not null);
        secrets.Add(reply!.Text);
        await Eventually.GetAsync(() => Messages(tenant, buyer), m => m.Any(x => x!["status"]!.GetValue<string>() == "Queued")); // the carrier's id is saved
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", reply.MessageId, "delivered", to: buyer));
        await Eventually.GetAsync(() => Messages(tenant, buyer), m => m.Any(x => x!["status"]!.GetValue<string>() == "Delivered"));

        // A campaign send.
        var recipient = NextNumber();
        secrets.Add(recipient);
        const string campaignText = "Hi Ana, open house Saturday on Juniper Lane. Reply STOP to opt out.";
        secrets.Add(campaignText);
        var campaign = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Open house", message = campaignText, aiEnabled = true, recipients = new[] { new { phone = recipient, firstName = "Ana" } } });
        await (await tenant.Http.PostAsync($"/api/campaigns/{campaign["id"]!.GetValue<string>()}/start", null)).EnsureSuccessAsync();
        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Any(s => s.To == recipient)), sent => sent);

        // An opt-out.
        var leaver = NextNumber();
        secrets.Add(leaver);
        await TextAsync(leaver, "STOP");
        await Eventually.GetAsync(() => fixture.App.QueryAsync(db => Task.FromResult(db.ContactPhones.Any(p => p.Number == leaver && p.OptedOutAtUtc != null)), tenant.Id), o => o);

        // A phone the agent paused (wrong person), texting again: the gate names the number to the business.
        var stranger = NextNumber();
        secrets.Add(stranger);
        await TextAsync(stranger, "Sorry, you have the wrong number, I'm not looking to buy anything");
        var conversation = await Eventually.GetAsync(() => Conversation(tenant, stranger), c => c?["outcome"]?.GetValue<string>() == "WrongPerson");
        await TextAsync(stranger, "Who is this again? Please check your contact list");
        var skipped = await Eventually.GetAsync(
            () => tenant.Http.GetJsonAsync($"/api/activity?conversationId={conversation!["id"]!.GetValue<string>()}&kind=Skipped"),
            a => a.AsArray().Count > 0);
        Assert.Contains(stranger, skipped[0]!["detail"]!.GetValue<string>()); // the business still sees which number

        var records = fixture.Logs.GetSnapshot();
        var gate = Assert.Single(records, r => r.Level == LogLevel.Information && r.Message.Contains("gate phone-paused", StringComparison.Ordinal));
        Assert.Contains(gate.Scopes, scope => scope is IEnumerable<KeyValuePair<string, object?>> values
            && values.Any(v => v.Key == "WorkKind" && Equals(v.Value, "agent.turn"))
            && values.Any(v => v.Key == "TenantId" && Equals(v.Value, tenant.Id))); // the work item's log scope
        Assert.Contains(records, r => r.Level == LogLevel.Debug && r.Message.Contains(stranger, StringComparison.Ordinal)); // Debug may say it
        var leaks = records
            .Where(r => r.Level > LogLevel.Debug)
            .SelectMany(r => secrets.Where(s => Text(r).Contains(s, StringComparison.Ordinal) || Text(r).Contains(s.TrimStart('+'), StringComparison.Ordinal))
                .Select(s => $"{r.Level} {r.Category}: {r.Message} (leaks \"{s}\")"))
            .ToList();
        Assert.Empty(leaks);
    }

    private static string Text(FakeLogRecord record) =>
        string.Join('\n', new[] { record.Message, record.Exception?.ToString() ?? "" }
            .Concat(record.StructuredState?.Select(kv => kv.Value ?? "") ?? []));

    private static async Task<JsonArray> Messages(TenantClient tenant, string number) =>
        await Conversation(tenant, number) is { } c
            ? (await tenant.Http.GetJsonAsync($"/api/conversations/{c["id"]!.GetValue<string>()}/messages")).AsArray()
            : [];

    private static async Task<JsonNode?> Conversation(TenantClient tenant, string number)
    {
        var list = (await tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(number)}")).AsArray();
        return list.Count == 1 ? await tenant.Http.GetJsonAsync($"/api/conversations/{list[0]!["id"]!.GetValue<string>()}") : null;
    }
}
