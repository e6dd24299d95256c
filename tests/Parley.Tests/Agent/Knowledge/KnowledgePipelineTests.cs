using System.Net.Http.Json;
using Parley.Agent;
using Parley.Tests.Infrastructure;
using Xunit;

namespace Parley.Tests.Agent.Knowledge;

/// <summary>Knowledge end to end: a signed Telnyx webhook in, the rules model answering from the tenant's FAQ,
/// the text out to the Telnyx-format server, and the sources on the message and in the activity log.</summary>
public sealed class KnowledgePipelineTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 8000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task<(AgentPipelineTests.Chat Chat, KnowledgeSet Knowledge)> ChatAsync()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), name: CashBuyerFaq.Business);
        return (new AgentPipelineTests.Chat(tenant, NextNumber(), fixture), await KnowledgeSet.CreateAsync(tenant));
    }

    [Theory]
    [InlineData("how fast can u close", "closing")]
    [InlineData("do u charge commission", "fees")]
    [InlineData("where did u get my info", "number")]
    [InlineData("do i need to fix it up first", "condition")]
    [InlineData("how much will u offer for my house", "offer")]
    [InlineData("will u buy it with the renters still there?", "tenants")]
    public async Task A_texted_question_is_answered_from_the_knowledge_and_the_reply_carries_its_source(string text, string key)
    {
        var (chat, knowledge) = await ChatAsync();
        await chat.TextAsync("Hi, this is Robert");

        var reply = await chat.TextAsync(text);

        Assert.NotNull(reply);
        Assert.Contains(KnowledgeSet.FirstSentence(knowledge.Entries[key].Entry), reply, StringComparison.Ordinal);
        var messages = (await chat.Tenant.Http.GetJsonAsync($"/api/conversations/{chat.ConversationId}/messages")).AsArray();
        var sent = messages.Last(m => m!["isAi"]!.GetValue<bool>())!;
        Assert.Equal(reply, sent["text"]!.GetValue<string>());
        knowledge.AssertSources(sent["sources"], key);
        Assert.Empty(messages.First(m => !m!["isAi"]!.GetValue<bool>())!["sources"]!.AsArray());
        var logged = (await chat.ActivityAsync()).AsArray().First(a => a!["kind"]!.GetValue<string>() == "Reply")!;
        knowledge.AssertSources(logged["sources"], key);
        var conversation = await chat.ConversationAsync();
        Assert.False(conversation["needsAttention"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Stop_texting_me_with_a_price_question_is_not_interested_and_silent()
    {
        var (chat, _) = await ChatAsync();
        await chat.TextAsync("Hi");
        var sentBefore = chat.Sent;

        Assert.Null(await chat.TextAsync("stop texting me, how much do you pay"));

        var conversation = await chat.ConversationAsync();
        Assert.Equal("NotInterested", conversation["outcome"]!.GetValue<string>());
        Assert.Equal(sentBefore, chat.Sent);
        Assert.Empty((await chat.Tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray());
    }

    [Fact]
    public async Task An_unanswered_question_raises_needs_attention_only_when_the_tenant_chose_so()
    {
        var (quiet, _) = await ChatAsync();
        Assert.False((await quiet.Tenant.Http.GetJsonAsync("/api/account"))["unansweredQuestionsNeedAttention"]!.GetValue<bool>());
        await quiet.TextAsync("Hi, this is Robert");
        var deferred = await quiet.TextAsync("do you do rent to own");

        Assert.Contains(SafetyReplies.Deferral, deferred, StringComparison.Ordinal);
        Assert.False((await quiet.ConversationAsync())["needsAttention"]!.GetValue<bool>());
        var gap = Assert.Single((await quiet.Tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray())!;
        Assert.Equal("do you do rent to own", gap["question"]!.GetValue<string>());
        Assert.Equal(quiet.ConversationId, gap["conversationId"]!.GetValue<string>());
        Assert.Contains((await quiet.ActivityAsync()).AsArray(), a => a!["kind"]!.GetValue<string>() == "KnowledgeGap");

        var (loud, _) = await ChatAsync();
        var settings = await (await loud.Tenant.Http.PatchAsJsonAsync("/api/account", new { unansweredQuestionsNeedAttention = true })).ReadJsonAsync();
        Assert.True(settings["unansweredQuestionsNeedAttention"]!.GetValue<bool>());
        await loud.TextAsync("Hi, this is Robert");
        await loud.TextAsync("do u do rent to own??");

        var flagged = await loud.ConversationAsync();
        Assert.True(flagged["needsAttention"]!.GetValue<bool>());
        Assert.Contains("do u do rent to own??", flagged["notice"]!.GetValue<string>(), StringComparison.Ordinal);
        var inbox = (await loud.Tenant.Http.GetJsonAsync("/api/conversations?needsAttention=true")).AsArray();
        Assert.Contains(inbox, c => c!["id"]!.GetValue<string>() == loud.ConversationId);

        // A person answering by hand takes it out of Needs Attention.
        (await loud.Tenant.Http.PostAsJsonAsync($"/api/conversations/{loud.ConversationId}/messages", new { text = "We don't buy mobile homes, sorry." })).EnsureSuccessStatusCode();
        Assert.False((await loud.ConversationAsync())["needsAttention"]!.GetValue<bool>());

        // And switching it off again stops new ones from raising it.
        await (await loud.Tenant.Http.PatchAsJsonAsync("/api/account", new { unansweredQuestionsNeedAttention = false })).ReadJsonAsync();
        var later = new AgentPipelineTests.Chat(loud.Tenant, NextNumber(), fixture);
        await later.TextAsync("Hi, this is Ana");
        await later.TextAsync("do you do rent to own");
        Assert.False((await later.ConversationAsync())["needsAttention"]!.GetValue<bool>());
    }
}
