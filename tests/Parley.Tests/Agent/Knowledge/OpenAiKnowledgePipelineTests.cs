using System.Text.RegularExpressions;
using Parley.Tests.Infrastructure;
using Xunit;

namespace Parley.Tests.Agent.Knowledge;

/// <summary>With an OpenAI-compatible model: the tenant's passages reach the prompt with their ids, and the
/// model's cited ids come back as the message's sources.</summary>
public sealed partial class OpenAiKnowledgePipelineTests(OpenAiTelnyxApp fixture) : IClassFixture<OpenAiTelnyxApp>
{
    private static int numbers = 9000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    [Fact]
    public async Task The_models_cited_passage_becomes_the_replys_source()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), name: CashBuyerFaq.Business);
        var knowledge = await KnowledgeSet.CreateAsync(tenant);
        var chat = new AgentPipelineTests.Chat(tenant, NextNumber(), fixture);
        var closing = knowledge.Entries["closing"];
        fixture.Model.ReplyTo(request =>
        {
            var id = PassageId().Matches(request.SystemPrompt).First(m => m.Groups["title"].Value == closing.Entry.Title).Groups["id"].Value;
            return new { reply = "We can close in as little as 7 days, or on the date that suits you.", outcome = "Ongoing", contactFirstName = (string?)null, callbackAt = (string?)null, sources = new[] { id }, unansweredQuestion = (string?)null };
        });

        var reply = await chat.TextAsync("how soon could we close");

        Assert.Equal("We can close in as little as 7 days, or on the date that suits you.", reply);
        Assert.Contains(closing.Entry.Text, fixture.Model.Requests[^1].SystemPrompt, StringComparison.Ordinal);
        var messages = (await tenant.Http.GetJsonAsync($"/api/conversations/{chat.ConversationId}/messages")).AsArray();
        knowledge.AssertSources(messages.Last()!["sources"], "closing");
    }

    [GeneratedRegex("""id (?<id>[0-9a-f-]{36}), "(?<title>[^"]+)":""")]
    private static partial Regex PassageId();
}
