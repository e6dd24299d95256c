using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Parley.Messaging;
using Parley.Messaging.Telnyx;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Security;

/// <summary>The Sandbox on its own database with every log record kept, pruning stored webhooks often.</summary>
public sealed class SandboxWebhookApp() : ParleyApp(new Dictionary<string, string?>
{
    ["Logging:LogLevel:Default"] = "Debug",
    ["Parley:Telnyx:WebhookPruneInterval"] = "00:00:00.200",
})
{
    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    protected override void ConfigureServices(IServiceCollection services) => services.AddFakeLogging();
}

/// <summary>No carrier event is taken on trust: it is signed, of a type Parley handles, stored once and not for ever.</summary>
public sealed class CarrierWebhookTests(SandboxWebhookApp app) : IClassFixture<SandboxWebhookApp>
{
    private static int numbers = 3000;

    private static string NextNumber() => $"+1647555{Interlocked.Increment(ref numbers):D4}";

    [Fact]
    public void Telnyx_mode_without_a_public_key_refuses_to_start_naming_the_setting()
    {
        using var telnyx = new ConfiguredParleyApp(new Dictionary<string, string?> { ["Parley:Carrier"] = "Telnyx", ["Parley:Telnyx:ApiKey"] = "KEY0123" });

        var error = Record.Exception(() => telnyx.Server);

        var failures = error switch
        {
            OptionsValidationException one => one.Failures.ToList(),
            AggregateException many => many.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
            _ => throw new Xunit.Sdk.XunitException($"Expected the app to refuse to start; got {error?.GetType().Name ?? "a running app"}"),
        };
        Assert.Contains(failures, f => f.Contains("Parley__Telnyx__PublicKey is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData("Hi")]
    [InlineData("stop texting me")]
    public async Task Sandbox_mode_refuses_an_unsigned_or_forged_text_and_stores_nothing(string text)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Forgery Target Realty");
        var eventId = $"evt-forged-{Guid.NewGuid()}";
        var json = SandboxWebhooks.Received(NextNumber(), tenant.Number, text, eventId);
        using var client = app.CreateClient();

        await (await client.PostAsync("/webhooks/telnyx", new StringContent(json, Encoding.UTF8, "application/json"))).AssertProblemAsync(401);

        using (var signedByAnother = app.SandboxSignedWebhook(json))
        {
            var unix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            signedByAnother.Headers.Remove(TelnyxSignature.SignatureHeader);
            signedByAnother.Headers.Remove(TelnyxSignature.TimestampHeader);
            signedByAnother.Headers.TryAddWithoutValidation(TelnyxSignature.SignatureHeader, TelnyxSigning.Sign(TelnyxSigning.NewPrivateKey(), unix, Encoding.UTF8.GetBytes(json)));
            signedByAnother.Headers.TryAddWithoutValidation(TelnyxSignature.TimestampHeader, unix.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await (await client.SendAsync(signedByAnother)).AssertProblemAsync(401);
        }

        Assert.False(await app.QueryAsync(db => db.WebhookEvents.AnyAsync(e => e.EventId == eventId)));
        await app.WorkDrainedAsync(tenant.Id);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations")).AsArray());
    }

    [Fact]
    public async Task Sandbox_mode_takes_a_text_signed_with_its_own_key()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Signed Sandbox Realty");
        var contact = NextNumber();

        using var request = app.SandboxSignedWebhook(SandboxWebhooks.Received(contact, tenant.Number, "hey is the condo on king st still available"));
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversations = await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/conversations"), c => c.AsArray().Count == 1);
        var messages = await tenant.Http.GetJsonAsync($"/api/conversations/{conversations[0]!["id"]}/messages");
        Assert.Contains(messages.AsArray(), m => m!["text"]!.GetValue<string>() == "hey is the condo on king st still available");
    }

    [Theory]
    [InlineData("call.initiated")]
    [InlineData("message.junk")]
    [InlineData("porting_order.status_changed")]
    public async Task Signed_events_of_a_type_parley_does_not_handle_are_acknowledged_and_not_stored(string eventType)
    {
        var json = SandboxWebhooks.OfType(eventType, new string('x', 200 * 1024));
        using var request = app.SandboxSignedWebhook(json);

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await app.QueryAsync(db => db.WebhookEvents.AnyAsync(e => e.EventType == eventType)));
    }

    [Fact]
    public async Task Stored_webhook_bodies_past_their_retention_are_pruned_and_recent_ones_kept()
    {
        var retention = app.Services.GetRequiredService<IOptions<TelnyxOptions>>().Value.WebhookRetention;
        var now = DateTime.UtcNow;
        await app.QueryAsync(async db =>
        {
            db.WebhookEvents.Add(Stored("evt-ancient", now - retention - TimeSpan.FromDays(30)));
            db.WebhookEvents.Add(Stored("evt-just-expired", now - retention - TimeSpan.FromMinutes(1)));
            db.WebhookEvents.Add(Stored("evt-yesterday", now - TimeSpan.FromDays(1)));
            return await db.SaveChangesAsync();
        });

        var left = await Eventually.GetAsync(
            () => app.QueryAsync(db => db.WebhookEvents.Where(e => e.EventId.StartsWith("evt-ancient") || e.EventId.StartsWith("evt-just") || e.EventId.StartsWith("evt-yesterday"))
                .Select(e => e.EventId).ToListAsync()),
            ids => ids.Count == 1);

        Assert.StartsWith("evt-yesterday-", Assert.Single(left), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_webhook_is_one_debug_line_with_no_stack_trace()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Retry Realty");
        var json = SandboxWebhooks.Received(NextNumber(), tenant.Number, "hi there, saw ur listing");
        using (var first = app.SandboxSignedWebhook(json))
        {
            (await app.CreateClient().SendAsync(first)).EnsureSuccessStatusCode();
        }

        await app.WorkDrainedAsync(tenant.Id);
        app.Logs.Clear();
        using (var again = app.SandboxSignedWebhook(json))
        {
            using var response = await app.CreateClient().SendAsync(again);
            Assert.Contains("duplicate", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var logs = app.Logs.GetSnapshot().Where(r => r.Category is { } c && (c.StartsWith("Parley", StringComparison.Ordinal) || c.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(logs, r => r.Level >= LogLevel.Warning);
        Assert.DoesNotContain(logs, r => r.Exception is not null);
        var duplicate = Assert.Single(logs, r => r.Message.Contains("duplicate", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, duplicate.Level);
        Assert.DoesNotContain('\n', duplicate.Message);
    }

    private static WebhookEvent Stored(string prefix, DateTime at) => new()
    {
        Provider = "telnyx",
        EventId = $"{prefix}-{Guid.NewGuid()}",
        EventType = TelnyxWebhook.MessageSent,
        DedupeKey = $"event:{prefix}-{Guid.NewGuid()}",
        Body = "{}",
        ReceivedAtUtc = at,
    };
}
