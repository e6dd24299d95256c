using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Agent;

/// <summary>Parley with <c>Parley:Ai:Provider=OpenAI</c>, talking to a local server that speaks the
/// chat-completions format, and sending through the Telnyx-format server.</summary>
public sealed class OpenAiTelnyxApp : TelnyxApp
{
    public FakeChatCompletions Model { get; private set; } = null!;

    protected override async Task<Dictionary<string, string?>> MoreSettingsAsync()
    {
        Model = await FakeChatCompletions.StartAsync();
        return new()
        {
            ["Parley:Ai:Provider"] = "OpenAI",
            ["Parley:Ai:Endpoint"] = Model.Endpoint.ToString(),
            ["Parley:Ai:ApiKey"] = "sk-test-key",
            ["Parley:Ai:Model"] = "gpt-test",
            ["Parley:Ai:Timeout"] = "00:00:05",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

[Collection(nameof(OpenAiPipelineTests))] // one scripted model server: tests take its answers in turn
public sealed class OpenAiPipelineTests(OpenAiTelnyxApp fixture) : IClassFixture<OpenAiTelnyxApp>
{
    private static int numbers = 3000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private static object Decision(string? reply, string outcome = "Ongoing", string? name = null, string? callbackAt = null) =>
        new { reply, outcome, contactFirstName = name, callbackAt };

    private async Task<(TenantClient Tenant, string Contact)> TextAsync(string text)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var contact = NextNumber();
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, text));
        return (tenant, contact);
    }

    private static Task<System.Text.Json.Nodes.JsonNode> ActivityAsync(TenantClient tenant, Func<System.Text.Json.Nodes.JsonNode, bool> done) =>
        Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/activity"), done);

    [Fact]
    public async Task The_models_structured_reply_is_sent_and_logged_with_tokens()
    {
        fixture.Model.Reply(Decision("Hi! Who am I speaking with?"), promptTokens: 321, completionTokens: 12);
        var (tenant, contact) = await TextAsync("Hello, is the condo still listed?");

        var send = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count == 1);
        Assert.Equal("Hi! Who am I speaking with?", send[0].Text);
        var reply = (await ActivityAsync(tenant, a => a.AsArray().Count > 0))[0]!;
        Assert.Equal("Reply", reply["kind"]!.GetValue<string>());
        Assert.Equal(321, reply["inputTokens"]!.GetValue<int>());
        Assert.Equal(12, reply["outputTokens"]!.GetValue<int>());
        Assert.Contains("gpt-test", reply["model"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Bearer sk-test-key", fixture.Model.Requests[^1].Authorization);
    }

    [Fact]
    public async Task Markdown_curly_punctuation_and_length_are_fixed_before_sending()
    {
        var verbose = "**Great news!** Here’s the plan — we’ll call you… " + string.Join(' ', Enumerable.Repeat("Lots of detail here.", 20));
        fixture.Model.Reply(Decision(verbose));
        var (_, contact) = await TextAsync("Hi");

        var send = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count == 1);
        Assert.StartsWith("Great news! Here's the plan - we'll call you...", send[0].Text, StringComparison.Ordinal);
        Assert.True(send[0].Text.Length <= 160, send[0].Text);
        Assert.Equal(1, send[0].Parts);
    }

    [Fact]
    public async Task A_reply_overtaken_by_a_newer_text_is_discarded_and_the_newer_text_answered_once()
    {
        // The model holds its answer until the newer text is in: on a loaded machine a fixed pause could let the
        // first reply go out before the second text arrives, and then two replies are right.
        var before = fixture.Model.Requests.Count;
        fixture.Model.Hold().Reply(Decision("Answer to the first text")).Reply(Decision("Answer to both texts"));
        var (tenant, contact) = await TextAsync("Hi");
        await Eventually.GetAsync(() => Task.FromResult(fixture.Model.Requests.Count), n => n > before);
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, "Actually, is it still for sale?"));
        fixture.Model.Release();

        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => s.To == contact)), n => n == 1);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        var sends = fixture.Telnyx.Sends.Where(s => s.To == contact).ToList();
        Assert.Equal("Answer to both texts", Assert.Single(sends).Text);
        var activity = await tenant.Http.GetJsonAsync("/api/activity");
        Assert.Contains(activity.AsArray(), a => a!["kind"]!.GetValue<string>() == "StaleReplyDiscarded");
    }

    [Fact]
    public async Task A_text_that_comes_in_while_the_agent_answers_waits_for_the_turn_and_both_get_one_reply_in_order()
    {
        var before = fixture.Model.Requests.Count;
        fixture.Model.Hold().Reply(Decision("Answer to the first text")).Reply(Decision("Answer to both texts"));
        var (tenant, contact) = await TextAsync("hey is the house on elm still avail");
        await Eventually.GetAsync(() => Task.FromResult(fixture.Model.Requests.Count), n => n > before); // the turn is with the model
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, "nvm saw the price lol. can u do 180k"));

        // The conversation's inbound work never runs beside its turn: the second text is not filed while the
        // model is still answering the first.
        await Task.Delay(800);
        var conversation = (await tenant.Http.GetJsonAsync("/api/conversations"))[0]!["id"]!.GetValue<string>();
        var filed = await tenant.Http.GetJsonAsync($"/api/conversations/{conversation}/messages");
        Assert.Equal(["hey is the house on elm still avail"], filed.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        fixture.Model.Release();

        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => s.To == contact)), n => n == 1);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Equal("Answer to both texts", Assert.Single(fixture.Telnyx.Sends, s => s.To == contact).Text);
        var messages = await tenant.Http.GetJsonAsync($"/api/conversations/{conversation}/messages");
        Assert.Equal(["Inbound", "Inbound", "Outbound"], messages.AsArray().Select(m => m!["direction"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Malformed_model_output_is_retried_once_then_the_turn_is_skipped_and_logged()
    {
        var before = fixture.Model.Requests.Count;
        fixture.Model.ReplyRaw("Sure! I'd love to help.").ReplyRaw("""{"reply": "hi", "outcome": "Maybe"}""");
        var (tenant, contact) = await TextAsync("Hello?");

        var error = (await ActivityAsync(tenant, a => a.AsArray().Count > 0))[0]!;
        Assert.Equal("ModelError", error["kind"]!.GetValue<string>());
        Assert.Equal(before + 2, fixture.Model.Requests.Count);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.DoesNotContain(fixture.Telnyx.Sends, s => s.To == contact);
    }

    [Fact]
    public async Task An_agreed_time_from_the_model_books_the_callback_in_the_tenants_zone()
    {
        fixture.Model.Reply(Decision("Booked: Tue Nov 24 at 2:30 PM. Talk then!", "AppointmentScheduled", "Ana", "2026-11-24T14:30:00"));
        var (tenant, _) = await TextAsync("Tuesday 2:30 works, I'm Ana");

        var callback = (await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/callbacks"), c => c.AsArray().Count == 1))[0]!;
        Assert.Equal("2026-11-24T14:30:00-05:00", callback["callbackAt"]!.GetValue<string>());
        Assert.Equal("Ana", callback["contactName"]!.GetValue<string>());
    }
}
