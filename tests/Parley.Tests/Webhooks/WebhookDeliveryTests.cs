using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;
using Parley.Webhooks;

namespace Parley.Tests.Webhooks;

/// <summary>Events reach a tenant's real HTTP receiver signed the Standard Webhooks way, retried until acknowledged.</summary>
public sealed class WebhookDeliveryTests(WebhookApp fixture) : IClassFixture<WebhookApp>
{
    private WebhookReceiver Receiver => fixture.Receiver;

    private Task<HttpResponseMessage> InboundAsync(TenantClient tenant, string from, string text) =>
        fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", from, tenant.Number, text));

    private Task<List<FakeTelnyxSend>> SendsToAsync(string number, int count) =>
        Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == number).ToList()), s => s.Count >= count);

    private Task<IReadOnlyList<ReceivedWebhook>> ReceivedAsync(string path, Func<IReadOnlyList<ReceivedWebhook>, bool> done) =>
        Eventually.GetAsync(() => Task.FromResult(Receiver.At(path)), done, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Every_event_type_reaches_the_endpoint_signed_and_verifiable()
    {
        var (tenant, _, secret, path) = await fixture.TenantWithEndpointAsync();
        var texter = WebhookApp.NextNumber();

        // A texter asks, gives a name, and books a call; the agent's reply is sent and delivered.
        await InboundAsync(tenant, texter, "Hi, is the house on Elm St still available?");
        var reply = (await SendsToAsync(texter, 1))[0];
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageSentJson($"evt-{Guid.NewGuid()}", reply.MessageId));
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", reply.MessageId, "delivered"));
        await InboundAsync(tenant, texter, "This is Robert");
        await SendsToAsync(texter, 2);
        await InboundAsync(tenant, texter, "tomorrow at 3pm works for a call");
        await SendsToAsync(texter, 3);

        // A text the carrier refuses fails.
        var blocked = WebhookApp.NextNumber();
        fixture.Telnyx.BlockedNumbers.Add(blocked);
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = blocked, message = "Hello from Maple Realty" });

        // A campaign whose only recipient texts STOP before it starts: the contact opts out, the campaign completes.
        var leaving = WebhookApp.NextNumber();
        var campaign = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Open house", message = "Hi {firstName}, open house Sat. Reply STOP to opt out.", aiEnabled = true, recipients = new[] { new { phone = leaving, firstName = "Ana" } } });
        await InboundAsync(tenant, leaving, "STOP");
        await Eventually.GetAsync(() => fixture.App.QueryAsync(db => db.ContactPhones.AnyAsync(p => p.Number == leaving && p.OptedOutAtUtc != null), tenant.Id), o => o);
        (await tenant.Http.PostAsync($"/api/campaigns/{campaign["id"]!.GetValue<string>()}/start", null)).EnsureSuccessStatusCode();

        var received = await ReceivedAsync(path, r => WebhookEventTypes.Known.All(t => r.Any(w => w.Type == t)));
        foreach (var webhook in received)
        {
            WebhookReceiver.Verify(webhook, secret);
            Assert.StartsWith("msg_", webhook.Id, StringComparison.Ordinal);
            Assert.NotNull(webhook.Json["timestamp"]);
        }

        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        var inbound = received.First(r => r.Type == "message.received");
        Assert.Equal(texter, inbound.Data["from"]!.GetValue<string>());
        Assert.Equal("Hi, is the house on Elm St still available?", inbound.Data["text"]!.GetValue<string>());
        Assert.True(inbound.Data["messageId"]!.GetValue<long>() > 0);
        Assert.Equal(reply.Text, received.First(r => r.Type == "message.delivered").Data["text"]!.GetValue<string>());
        Assert.Contains(received, r => r.Type == "conversation.outcome" && r.Data["outcome"]!.GetValue<string>() == "AppointmentScheduled");
        Assert.Contains(received, r => r.Type == "conversation.needs_attention" && r.Data["reason"]!.GetValue<string>() == "AppointmentScheduled");
        Assert.Equal(texter, received.First(r => r.Type == "appointment.scheduled").Data["phone"]!.GetValue<string>());
        Assert.Contains(received, r => r.Type == "message.failed" && r.Data["to"]!.GetValue<string>() == blocked);
        Assert.Contains(received, r => r.Type == "contact.opted_out" && r.Data["phone"]!.GetValue<string>() == leaving);
        var completed = received.First(r => r.Type == "campaign.completed").Data;
        Assert.Equal("Open house", completed["name"]!.GetValue<string>());
        Assert.Equal((1, 0, 1), (completed["recipients"]!.GetValue<int>(), completed["sent"]!.GetValue<int>(), completed["skipped"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_campaign_completed_event_counts_what_was_sent_and_skipped_in_its_last_batch()
    {
        var (tenant, _, _, path) = await fixture.TenantWithEndpointAsync("campaign.completed");
        var leaving = WebhookApp.NextNumber();
        var phones = new[] { WebhookApp.NextNumber(), leaving, WebhookApp.NextNumber() };
        foreach (var phone in phones)
        {
            await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Sam", phones = new[] { phone }, timeZone = Afternoon.Zone() });
        }

        var recipients = phones.Select(phone => new { phone, firstName = "Sam" });
        var campaign = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Spring list", message = "Hi {firstName}, still thinking of selling? Reply STOP to opt out.", aiEnabled = false, recipients });
        await InboundAsync(tenant, leaving, "STOP"); // after the list was made: skipped at send time
        await Eventually.GetAsync(() => fixture.App.QueryAsync(db => db.ContactPhones.AnyAsync(p => p.Number == leaving && p.OptedOutAtUtc != null), tenant.Id), o => o);

        (await tenant.Http.PostAsync($"/api/campaigns/{campaign["id"]!.GetValue<string>()}/start", null)).EnsureSuccessStatusCode();

        var data = (await ReceivedAsync(path, r => r.Count == 1))[0].Data;
        Assert.Equal(3, data["recipients"]!.GetValue<int>());
        Assert.Equal(2, data["sent"]!.GetValue<int>());
        Assert.Equal(1, data["skipped"]!.GetValue<int>());
        Assert.Equal(0, data["failed"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_text_delivered_before_its_sent_report_is_announced_as_sent_once()
    {
        var (tenant, _, _, path) = await fixture.TenantWithEndpointAsync("message.sent", "message.delivered");
        var texter = WebhookApp.NextNumber();
        await InboundAsync(tenant, texter, "hey who is this");
        var reply = (await SendsToAsync(texter, 1))[0];

        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", reply.MessageId, "delivered"));
        await ReceivedAsync(path, r => r.Any(w => w.Type == "message.delivered"));
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageSentJson($"evt-{Guid.NewGuid()}", reply.MessageId)); // late, after delivery
        await fixture.App.WorkDrainedAsync(tenant.Id);

        var received = Receiver.At(path);
        Assert.Equal(["message.sent", "message.delivered"], received.Select(r => r.Type).Order().Reverse());
        Assert.All(received, r => Assert.Equal(reply.Text, r.Data["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_endpoint_gets_only_the_types_it_asked_for()
    {
        var (tenant, _, _, path) = await fixture.TenantWithEndpointAsync("message.received");
        var texter = WebhookApp.NextNumber();
        await InboundAsync(tenant, texter, "Hello, who is this?");
        await SendsToAsync(texter, 1);
        await fixture.App.WorkDrainedAsync(tenant.Id);

        var received = Receiver.At(path);
        Assert.Equal(["message.received"], received.Select(r => r.Type));
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_the_same_id_and_delivered_once()
    {
        var (tenant, id, secret, path) = await fixture.TenantWithEndpointAsync("campaign.completed");
        Receiver.Answer(path, 500, 503, 404);

        var test = await tenant.Http.PostJsonAsync($"/api/webhooks/{id}/test", new { });
        var received = await ReceivedAsync(path, r => r.Any(w => w.AnsweredWith == 200));
        await fixture.App.WorkDrainedAsync(tenant.Id);

        received = Receiver.At(path);
        Assert.Equal([500, 503, 404, 200], received.Select(r => r.AnsweredWith));
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.Equal(test["webhookId"]!.GetValue<string>(), received[0].Id);
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.All(received, r => WebhookReceiver.Verify(r, secret));
        Assert.Equal("webhook.test", received[0].Type);

        var delivery = (await tenant.Http.GetJsonAsync($"/api/webhooks/{id}/deliveries"))[0]!;
        Assert.Equal("Delivered", delivery["status"]!.GetValue<string>());
        Assert.Equal(4, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(200, delivery["responseCode"]!.GetValue<int>());
        Assert.NotNull(delivery["latencyMs"]);

        var again = await tenant.Http.PostAsync($"/api/webhooks/{id}/deliveries/{delivery["id"]!.GetValue<string>()}/retry", null);
        await again.AssertProblemAsync(409);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Equal(4, Receiver.At(path).Count);
    }

    [Fact]
    public async Task An_endpoint_failing_for_days_is_disabled_the_owner_told_and_a_manual_retry_delivers()
    {
        var (tenant, id, _, path) = await fixture.TenantWithEndpointAsync("*");
        await fixture.App.QueryAsync(db => db.WebhookEndpoints.Where(e => e.Id == Guid.Parse(id))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSinceUtc, DateTime.UtcNow.AddDays(-4))), tenant.Id);
        Receiver.Answer(path, 500);

        await tenant.Http.PostJsonAsync($"/api/webhooks/{id}/test", new { });
        await ReceivedAsync(path, r => r.Count == 1);
        var endpoint = await Eventually.GetAsync(() => tenant.Http.GetJsonAsync($"/api/webhooks/{id}"), e => !e["enabled"]!.GetValue<bool>());
        Assert.Contains("500", endpoint["disabledReason"]!.GetValue<string>(), StringComparison.Ordinal);
        var activity = await tenant.Http.GetJsonAsync("/api/activity");
        Assert.Contains(activity.AsArray(), a => a!["kind"]!.GetValue<string>() == "WebhookDisabled" && a["detail"]!.GetValue<string>().Contains(path, StringComparison.Ordinal));

        // Nothing more goes to a disabled endpoint, and its deliveries cannot be retried until it is enabled.
        var texter = WebhookApp.NextNumber();
        await InboundAsync(tenant, texter, "Hi there");
        await SendsToAsync(texter, 1);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Single(Receiver.At(path));
        var delivery = (await tenant.Http.GetJsonAsync($"/api/webhooks/{id}/deliveries"))[0]!;
        Assert.Equal("Failed", delivery["status"]!.GetValue<string>());
        var retryUrl = $"/api/webhooks/{id}/deliveries/{delivery["id"]!.GetValue<string>()}/retry";
        await (await tenant.Http.PostAsync(retryUrl, null)).AssertProblemAsync(409);

        await tenant.Http.PostJsonAsync($"/api/webhooks/{id}/enable", new { });
        (await tenant.Http.PostAsync(retryUrl, null)).EnsureSuccessStatusCode();
        var received = await ReceivedAsync(path, r => r.Count == 2);
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal(200, received[1].AnsweredWith);
    }

    [Fact]
    public async Task A_rotated_secret_signs_the_next_attempts()
    {
        var (tenant, id, oldSecret, path) = await fixture.TenantWithEndpointAsync("message.sent");
        var rotated = await tenant.Http.PostJsonAsync($"/api/webhooks/{id}/secret", new { });
        var secret = rotated["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, secret);

        await tenant.Http.PostJsonAsync($"/api/webhooks/{id}/test", new { });
        var webhook = (await ReceivedAsync(path, r => r.Count == 1))[0];
        WebhookReceiver.Verify(webhook, secret);
        Assert.ThrowsAny<Exception>(() => WebhookReceiver.Verify(webhook, oldSecret));
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_the_endpoints_or_deliveries()
    {
        var (owner, id, _, _) = await fixture.TenantWithEndpointAsync("*");
        var test = await owner.Http.PostJsonAsync($"/api/webhooks/{id}/test", new { });
        var other = await fixture.App.CreateTenantAsync(number: WebhookApp.NextNumber());

        Assert.Empty((await other.Http.GetJsonAsync("/api/webhooks")).AsArray());
        Assert.Equal(404, (int)(await other.Http.GetAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(404, (int)(await other.Http.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode);
        Assert.Equal(404, (int)(await other.Http.PostAsync($"/api/webhooks/{id}/deliveries/{test["id"]!.GetValue<string>()}/retry", null)).StatusCode);
        Assert.Equal(404, (int)(await other.Http.PostAsync($"/api/webhooks/{id}/test", null)).StatusCode);
        Assert.Equal(404, (int)(await other.Http.PostAsync($"/api/webhooks/{id}/secret", null)).StatusCode);
        Assert.Equal(404, (int)(await other.Http.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Single((await owner.Http.GetJsonAsync("/api/webhooks")).AsArray());
    }

    [Theory]
    [InlineData("""{"events":["*"]}""", "url")]
    [InlineData("""{"url":"not a url","events":["*"]}""", "url")]
    [InlineData("""{"url":"ftp://example.com/hook","events":["*"]}""", "http")]
    [InlineData("""{"url":"https://user:pw@example.com/hook","events":["*"]}""", "password")]
    [InlineData("""{"url":"https://example.com/hook"}""", "events")]
    [InlineData("""{"url":"https://example.com/hook","events":[]}""", "events")]
    [InlineData("""{"url":"https://example.com/hook","events":["message.read"]}""", "message.read")]
    [InlineData("""{"url":"https://example.com/hook","events":"*"}""", "")]
    [InlineData("""{"url":""", "")]
    public async Task Bad_endpoint_input_is_a_clear_problem_and_nothing_is_stored(string json, string mentioned)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: WebhookApp.NextNumber());
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var problem = await (await tenant.Http.PostAsync("/api/webhooks", content)).AssertProblemAsync(400);
        Assert.Contains(mentioned, problem, StringComparison.Ordinal);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/webhooks")).AsArray());
    }

    [Fact]
    public async Task A_deleted_endpoint_gets_nothing_more()
    {
        var (tenant, id, _, path) = await fixture.TenantWithEndpointAsync("message.received");
        Assert.Equal(204, (int)(await tenant.Http.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        var texter = WebhookApp.NextNumber();
        await InboundAsync(tenant, texter, "Hello?");
        await SendsToAsync(texter, 1);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Empty(Receiver.At(path));
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/webhooks")).AsArray());
    }
}
