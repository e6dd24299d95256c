using System.Text.RegularExpressions;
using Parley.Agent;
using Parley.Agent.OpenAi;
using Parley.Knowledge;
using Parley.Tests.Fakes;
using Xunit;

namespace Parley.Tests.Agent.Knowledge;

/// <summary>The OpenAI-compatible model is given the passages with their ids, may cite only those, and is told
/// to defer rather than guess.</summary>
public sealed partial class OpenAiGroundingTests : IAsyncLifetime
{
    private static readonly KnowledgePassage Closing = new(Guid.CreateVersion7(), "How fast we close", "We can close in as little as 7 days, or on the date that suits you.", 0.8);
    private static readonly KnowledgePassage Fees = new(Guid.CreateVersion7(), "Fees and commissions", "There are no commissions or agent fees, and we pay the normal closing costs.", 0.4);

    private FakeChatCompletions _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeChatCompletions.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task The_prompt_carries_each_passage_with_its_id_and_forbids_other_facts()
    {
        _fake.Reply(Decision("Hi", []));

        await Model().DecideAsync(Context("how fast can u close"), CancellationToken.None);

        var system = _fake.Requests[0].SystemPrompt;
        Assert.Contains($"id {Closing.Id:D}, \"How fast we close\": We can close in as little as 7 days", system, StringComparison.Ordinal);
        Assert.Contains($"id {Fees.Id:D}, \"Fees and commissions\": There are no commissions", system, StringComparison.Ordinal);
        Assert.Contains("State no fact about the business", system, StringComparison.Ordinal);
        Assert.Contains("have the team confirm", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_citing_an_offered_passage_carries_its_id()
    {
        // The fake reads the prompt as a model would and cites the passage about closing.
        _fake.ReplyTo(request => Decision("We can close in as little as 7 days.", [IdOf(request.SystemPrompt, "How fast we close")]));

        var decision = await Model().DecideAsync(Context("how soon could we close"), CancellationToken.None);

        Assert.Equal("We can close in as little as 7 days.", decision.Reply);
        Assert.Equal([Closing.Id], decision.Sources);
        Assert.Null(decision.UnansweredQuestion);
    }

    [Fact]
    public async Task A_reply_citing_a_passage_that_was_not_offered_is_asked_for_again_then_fails()
    {
        var invented = Guid.CreateVersion7().ToString();
        _fake.Reply(Decision("We close in 3 days.", [invented])).Reply(Decision("We close in 3 days.", ["not-an-id"]));

        var error = await Assert.ThrowsAsync<AgentModelException>(() => Model().DecideAsync(Context("how soon could we close"), CancellationToken.None));

        Assert.Equal(2, _fake.Requests.Count);
        Assert.Contains("passage", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(invented, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_citation_followed_by_a_good_one_is_used()
    {
        _fake.Reply(Decision("We close in 3 days.", [Guid.CreateVersion7().ToString()]))
            .ReplyTo(request => Decision("We can close in as little as 7 days.", [IdOf(request.SystemPrompt, "How fast we close")]));

        var decision = await Model().DecideAsync(Context("how soon could we close"), CancellationToken.None);

        Assert.Equal([Closing.Id], decision.Sources);
    }

    [Fact]
    public async Task An_unanswered_question_is_read_and_a_model_that_leaves_out_the_new_fields_is_still_understood()
    {
        _fake.Reply(new { reply = "Good question, I'll have the team confirm that.", outcome = "Ongoing", contactFirstName = (string?)null, callbackAt = (string?)null, sources = Array.Empty<string>(), unansweredQuestion = "rent to own?" })
            .Reply(new { reply = "Hi there", outcome = "Ongoing", contactFirstName = (string?)null, callbackAt = (string?)null });

        var unanswered = await Model().DecideAsync(Context("do you do rent to own"), CancellationToken.None);
        var older = await Model().DecideAsync(Context("hi"), CancellationToken.None);

        Assert.Equal("rent to own?", unanswered.UnansweredQuestion);
        Assert.Empty(unanswered.Sources);
        Assert.Equal("Hi there", older.Reply);
        Assert.Empty(older.Sources);
    }

    [Fact]
    public async Task Without_passages_the_prompt_says_nothing_matches_and_any_citation_is_refused()
    {
        _fake.Reply(Decision("We close in 7 days.", [Closing.Id.ToString()])).Reply(Decision("Good question, I'll have the team confirm that.", []));

        var decision = await Model().DecideAsync(Context("do you buy mobile homes", knowledge: []), CancellationToken.None);

        Assert.Contains("no passage matches", _fake.Requests[0].SystemPrompt, StringComparison.Ordinal);
        Assert.Equal("Good question, I'll have the team confirm that.", decision.Reply);
        Assert.Empty(decision.Sources);
    }

    private static string IdOf(string prompt, string title) => PassageId().Matches(prompt).First(m => m.Groups["title"].Value == title).Groups["id"].Value;

    [GeneratedRegex("""id (?<id>[0-9a-f-]{36}), "(?<title>[^"]+)":""")]
    private static partial Regex PassageId();

    private OpenAiModel Model() => new(new OpenAiModelOptions { Endpoint = _fake.Endpoint, ApiKey = "sk-test", Model = "gpt-test", MaxRetries = 0 });

    private static object Decision(string reply, string[] sources) =>
        new { reply, outcome = "Ongoing", contactFirstName = "Ana", callbackAt = (string?)null, sources, unansweredQuestion = (string?)null };

    private static AgentContext Context(string text, IReadOnlyList<KnowledgePassage>? knowledge = null) => new(
        BusinessName: "Acme Home Buyers",
        SystemPrompt: "You are a friendly assistant.",
        Guide: null,
        History: [new TranscriptLine(Speaker.Contact, text, DateTime.UtcNow)],
        ContactFirstName: "Ana",
        ClientFirstName: null,
        IdentityConfirmed: false,
        ContactNotes: [],
        LocalNow: new DateTime(2026, 11, 23, 14, 5, 0),
        TimeZoneId: "America/New_York")
    {
        Knowledge = knowledge ?? [Closing, Fees],
    };
}
