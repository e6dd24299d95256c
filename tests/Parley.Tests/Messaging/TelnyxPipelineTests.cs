using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Messaging;

/// <summary>Inbound webhook → durable queue → agent → Telnyx send → delivery status, over real HTTP.</summary>
public sealed class TelnyxPipelineTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 1000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private Task<TenantClient> TenantAsync() => fixture.App.CreateTenantAsync(number: NextNumber());

    private static async Task<System.Text.Json.Nodes.JsonNode> ConversationOfAsync(TenantClient tenant) =>
        (await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/conversations"), l => l.AsArray().Count > 0))[0]!;

    private static Task<System.Text.Json.Nodes.JsonNode> MessagesAsync(TenantClient tenant, System.Text.Json.Nodes.JsonNode conversation) =>
        tenant.Http.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}/messages");

    [Fact]
    public async Task An_inbound_text_is_answered_through_telnyx_and_tracked_to_delivered()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        var response = await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, "Hi, is the house on Elm St still available?"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var send = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count == 1);
        Assert.Equal(tenant.Number, send[0].From);
        Assert.False(string.IsNullOrWhiteSpace(send[0].Text));
        Assert.StartsWith($"parley:{tenant.Id:N}:", send[0].IdempotencyKey, StringComparison.Ordinal);

        var conversation = await ConversationOfAsync(tenant);
        var reply = (await Eventually.GetAsync(() => MessagesAsync(tenant, conversation), m => m.AsArray().Count == 2 && m[1]!["status"]!.GetValue<string>() == "Queued"))[1]!;
        Assert.True(reply["isAi"]!.GetValue<bool>());

        await fixture.PostWebhookAsync(fixture.Telnyx.MessageSentJson($"evt-{Guid.NewGuid()}", send[0].MessageId));
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send[0].MessageId, "delivered"));
        await Eventually.GetAsync(() => MessagesAsync(tenant, conversation), m => m[1]!["status"]!.GetValue<string>() == "Delivered");
    }

    [Fact]
    public async Task A_duplicated_or_re_sent_inbound_event_is_handled_once()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        var messageId = $"msg-{Guid.NewGuid()}";
        var json = fixture.Telnyx.MessageReceivedJson("evt-dup-" + Guid.NewGuid(), messageId, contact, tenant.Number, "Hello there");

        var first = await fixture.PostWebhookAsync(json);
        var retry = await fixture.PostWebhookAsync(json);
        var sameMessageNewEvent = await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson("evt-other-" + Guid.NewGuid(), messageId, contact, tenant.Number, "Hello there"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("duplicate", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("duplicate", await sameMessageNewEvent.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => s.To == contact)), n => n == 1);
        await Task.Delay(500);
        Assert.Single(fixture.Telnyx.Sends, s => s.To == contact);
        var messages = await MessagesAsync(tenant, await ConversationOfAsync(tenant));
        Assert.Single(messages.AsArray(), m => m!["direction"]!.GetValue<string>() == "Inbound");
    }

    [Fact]
    public async Task Forged_stale_and_unsigned_webhooks_are_refused_and_store_nothing()
    {
        var tenant = await TenantAsync();
        var json = fixture.Telnyx.MessageReceivedJson("evt-forged", "msg-forged", NextNumber(), tenant.Number, "hi");
        using var client = fixture.App.CreateClient();

        using (var forged = fixture.Telnyx.SignedWebhook(json))
        {
            forged.Content = new StringContent(json.Replace("\"hi\"", "\"send me money\"", StringComparison.Ordinal), Encoding.UTF8, "application/json");
            await (await client.SendAsync(forged)).AssertProblemAsync(401);
        }

        await (await fixture.PostWebhookAsync(json, DateTimeOffset.UtcNow.AddMinutes(-10))).AssertProblemAsync(401);
        await (await fixture.PostWebhookAsync(json, DateTimeOffset.UtcNow.AddMinutes(10))).AssertProblemAsync(401);
        await (await client.PostAsync("/webhooks/telnyx", new StringContent(json, Encoding.UTF8, "application/json"))).AssertProblemAsync(401);

        using (var wrongSignature = fixture.Telnyx.SignedWebhook(json))
        {
            wrongSignature.Headers.Remove("telnyx-signature-ed25519");
            wrongSignature.Headers.TryAddWithoutValidation("telnyx-signature-ed25519", Convert.ToBase64String(new byte[64]));
            await (await client.SendAsync(wrongSignature)).AssertProblemAsync(401);
        }

        Assert.False(await fixture.App.QueryAsync(db => db.WebhookEvents.AnyAsync(e => e.EventId == "evt-forged")));
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations")).AsArray());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"data":{"id":"evt-1"}}""")]
    [InlineData("""{"data":{"id":"evt-2","event_type":"message.received","payload":{"id":5}}}""")]
    [InlineData("")]
    public async Task Malformed_webhook_bodies_get_a_400_problem(string body)
    {
        var response = await fixture.PostWebhookAsync(body);
        var problem = await response.AssertProblemAsync(400);
        Assert.DoesNotContain("Exception", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_to_a_number_no_tenant_owns_is_acknowledged_and_creates_nothing()
    {
        var eventId = "evt-nobody-" + Guid.NewGuid();
        var response = await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson(eventId, "msg-" + Guid.NewGuid(), NextNumber(), "+14165559999", "hello?"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await fixture.App.QueryAsync(db => db.WebhookEvents.AnyAsync(e => e.EventId == eventId)));
        Assert.False(await fixture.App.QueryAsync(db => db.Contacts.IgnoreQueryFilters().AnyAsync(c => c.Phones.Any(p => p.Number == "+14165559999"))));
    }

    [Fact]
    public async Task Delivery_status_only_moves_forward_when_events_arrive_out_of_order()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = contact, message = "Hi from the office" });
        var send = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count == 1);

        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send[0].MessageId, "delivered"));
        await Eventually.GetAsync(() => MessagesAsync(tenant, conversation), m => m[0]!["status"]!.GetValue<string>() == "Delivered");
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageSentJson($"evt-{Guid.NewGuid()}", send[0].MessageId));
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send[0].MessageId, "delivery_failed", "40006", "Recipient server unavailable"));
        await Task.Delay(600);

        var message = (await MessagesAsync(tenant, conversation))[0]!;
        Assert.Equal("Delivered", message["status"]!.GetValue<string>());
        Assert.Null(message["error"]);
    }

    [Fact]
    public async Task A_delivery_failure_shows_the_carriers_error_on_the_message()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = contact, message = "Hello" });
        var send = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count == 1);

        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send[0].MessageId, "delivery_failed", "40001", "Not routable", "Destination is a landline"));
        var message = (await Eventually.GetAsync(() => MessagesAsync(tenant, conversation), m => m[0]!["status"]!.GetValue<string>() == "Failed"))[0]!;
        Assert.Equal("40001", message["errorCode"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(message["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_carrier_stop_block_opts_the_contact_out_and_is_never_retried()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        fixture.Telnyx.BlockedNumbers.Add(contact);
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = contact, message = "Hello" });

        var message = (await Eventually.GetAsync(() => MessagesAsync(tenant, conversation), m => m[0]!["status"]!.GetValue<string>() == "Failed"))[0]!;
        Assert.Equal("40300", message["errorCode"]!.GetValue<string>());
        var view = await tenant.Http.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}");
        Assert.True(view["phones"]![0]!["optedOut"]!.GetValue<bool>());

        var manual = await tenant.Http.PostAsJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}/messages", new { text = "Are you there?" });
        await manual.AssertProblemAsync(409);
        Assert.DoesNotContain(fixture.Telnyx.Sends, s => s.To == contact);
    }

    [Fact]
    public async Task A_busy_carrier_is_retried_and_the_text_goes_out_once()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        fixture.Telnyx.FailNext(503, "10007", "Unexpected error", times: 2);
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = contact, message = "Hello after a hiccup" });

        await Eventually.GetAsync(() => MessagesAsync(tenant, conversation), m => m[0]!["status"]!.GetValue<string>() == "Queued", TimeSpan.FromSeconds(20));
        Assert.Single(fixture.Telnyx.Sends, s => s.To == contact);
    }

    [Fact]
    public async Task A_carrier_validation_error_fails_the_message_with_the_carriers_reason()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        fixture.Telnyx.FailNext(422, "10002", "Invalid phone number", "The 'to' number is not a mobile number");
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = contact, message = "Hello" });

        var message = (await Eventually.GetAsync(() => MessagesAsync(tenant, conversation), m => m[0]!["status"]!.GetValue<string>() == "Failed"))[0]!;
        Assert.Equal("10002", message["errorCode"]!.GetValue<string>());
        Assert.Contains("mobile", message["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_opts_the_contact_out_with_no_reply_and_blocks_later_sends()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, "STOP"));

        var conversation = await ConversationOfAsync(tenant);
        await Eventually.GetAsync(() => tenant.Http.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}"),
            c => c["phones"]![0]!["optedOut"]!.GetValue<bool>());
        var start = await tenant.Http.PostAsJsonAsync("/api/conversations", new { to = contact, message = "One more offer!" });
        await start.AssertProblemAsync(409);
        await Task.Delay(300);
        Assert.DoesNotContain(fixture.Telnyx.Sends, s => s.To == contact);
    }

    [Fact]
    public async Task A_conversation_quiet_for_more_than_30_days_is_not_resumed()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        var old = await tenant.Http.PostJsonAsync("/api/conversations", new { to = contact, message = "Hello" });
        var oldId = Guid.Parse(old["id"]!.GetValue<string>());
        await fixture.App.QueryAsync(db => db.Conversations.Where(c => c.Id == oldId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessageAtUtc, DateTime.UtcNow.AddDays(-31))), tenant.Id);

        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, "Hi again"));
        var list = await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/conversations"), l => l.AsArray().Count == 2);
        Assert.Equal(list[0]!["contact"]!["id"]!.GetValue<string>(), list[1]!["contact"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_10dlc_campaign_event_is_acknowledged_and_not_stored_since_parley_does_not_act_on_it()
    {
        var eventId = Guid.NewGuid().ToString();
        var json = $$$"""
            {"data":{"event_type":"10dlc.campaign.update","id":"{{{eventId}}}","occurred_at":"2026-11-21T17:22:37.328+00:00",
            "payload":{"brandId":"d88dd2aa-1bb9-4ef0-9ec8-1752b80316a5","campaignId":"4b300178-131c-d902-d54e-72d90ba1620j",
            "type":"MNO_REVIEW","status":"ACCEPTED","description":"Campaign accepted"},"record_type":"event"},
            "meta":{"attempt":1,"delivered_to":"https://example.test/webhooks/telnyx"}}
            """;
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostWebhookAsync(json)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostWebhookAsync(json)).StatusCode);
        Assert.Equal(0, await fixture.App.QueryAsync(db => db.WebhookEvents.CountAsync(e => e.EventId == eventId)));
    }

    [Fact]
    public async Task Info_is_answered_once_with_who_is_texting_and_how_to_stop_but_help_is_left_to_telnyx()
    {
        var tenant = await TenantAsync();
        var (info, help) = (NextNumber(), NextNumber());
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", info, tenant.Number, "INFO"));
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", help, tenant.Number, "HELP"));

        var answer = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == info).ToList()), s => s.Count == 1);
        Assert.Contains("Maple Realty", answer[0].Text, StringComparison.Ordinal);
        Assert.Contains("STOP", answer[0].Text, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(fixture.Telnyx.Sends, s => s.To == info);
        Assert.DoesNotContain(fixture.Telnyx.Sends, s => s.To == help);
    }
}
