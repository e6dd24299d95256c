using Parley.Tests.Infrastructure;

namespace Parley.Tests.Agent;

/// <summary>A failing OpenAI-compatible model never leaves a texter silently unanswered, and a safety outcome
/// never waits for the model.</summary>
public sealed class ModelFailureTests(OpenAiTelnyxApp fixture) : IClassFixture<OpenAiTelnyxApp>
{
    private static int numbers = 8000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task<(TenantClient Tenant, string Contact)> TextAsync(TenantClient? tenant, string contact, string text)
    {
        tenant ??= await fixture.App.CreateTenantAsync(number: NextNumber());
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, text));
        return (tenant, contact);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> ConversationAsync(TenantClient tenant, Func<System.Text.Json.Nodes.JsonNode, bool> done)
    {
        var id = (await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/conversations"), l => l.AsArray().Count == 1))[0]!["id"]!.GetValue<string>();
        return await Eventually.GetAsync(() => tenant.Http.GetJsonAsync($"/api/conversations/{id}"), done);
    }

    [Fact]
    public async Task A_model_that_fails_after_its_retry_puts_the_conversation_in_needs_attention_until_it_answers_again()
    {
        using var anonymous = fixture.App.CreateClient();
        fixture.Model.ReplyRaw("Sure! I'd love to help.").ReplyRaw("still not json");
        var (tenant, contact) = await TextAsync(null, NextNumber(), "Hello, is the house still for sale?");

        var failed = await ConversationAsync(tenant, c => c["needsAttention"]!.GetValue<bool>());
        Assert.Contains("AI model failed", failed["notice"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?needsAttention=true")).AsArray());
        var ready = await anonymous.GetJsonAsync("/health/ready");
        Assert.Equal("degraded", ready["status"]!.GetValue<string>());
        Assert.Equal("failing", ready["model"]!["status"]!.GetValue<string>());
        Assert.NotNull(ready["model"]!["since"]);
        var since = ready["model"]!["since"]!.GetValue<DateTime>();

        fixture.Model.Fail(500, "upstream exploded", "server_error").Fail(500, "upstream exploded", "server_error");
        await TextAsync(tenant, contact, "hello??");
        await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/activity"), a => a.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "ModelError") == 2);
        Assert.Equal(since, (await anonymous.GetJsonAsync("/health/ready"))["model"]!["since"]!.GetValue<DateTime>());

        fixture.Model.Reply(new { reply = "Hi! Who am I speaking with?", outcome = "Ongoing", contactFirstName = (string?)null, callbackAt = (string?)null });
        await TextAsync(tenant, contact, "anyone there");
        var recovered = await ConversationAsync(tenant, c => !c["needsAttention"]!.GetValue<bool>());
        Assert.Null(recovered["notice"]);
        Assert.Equal("ready", (await anonymous.GetJsonAsync("/health/ready"))["status"]!.GetValue<string>());
        var sent = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count == 1);
        Assert.Equal("Hi! Who am I speaking with?", sent[0].Text);
    }

    [Theory]
    [InlineData("pls stop texting me", "NotInterested")]
    [InlineData("can I talk to a real person", "NeedsHuman")]
    [InlineData("my dad just passed away", "NeedsHuman")]
    public async Task Safety_outcomes_are_decided_without_asking_the_model(string text, string outcome)
    {
        var before = fixture.Model.Requests.Count;
        var (tenant, _) = await TextAsync(null, NextNumber(), text);

        var conversation = await ConversationAsync(tenant, c => c["outcome"] is not null);

        Assert.Equal(outcome, conversation["outcome"]!.GetValue<string>());
        Assert.Equal(before, fixture.Model.Requests.Count);
    }
}
