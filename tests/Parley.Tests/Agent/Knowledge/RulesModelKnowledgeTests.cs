using Parley.Agent;
using Parley.Agent.Rules;
using Parley.Knowledge;
using Xunit;

namespace Parley.Tests.Agent.Knowledge;

/// <summary>The rules model answering from passages it is given: the entry's own words, whole sentences, then
/// the conversation goes on; nothing known means a deferral and an unanswered question.</summary>
public sealed class RulesModelKnowledgeTests
{
    private static readonly KnowledgePassage Closing = new(Guid.CreateVersion7(), "How fast we close",
        "We can close in as little as 7 days, or on the date that suits you. You choose the closing date.", 0.9);

    private static readonly KnowledgePassage Long = new(Guid.CreateVersion7(), "How we make an offer",
        "Our cash offer is based on the home's location, its condition and recent sales nearby. After a short visit we give you a written offer within 24 hours, with no obligation.", 0.9);

    private static AgentDecision Answer(string text, string? name = "Robert", int limit = 160, params KnowledgePassage[] knowledge) =>
        RulesModel.Decide(Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, text)], name, replyLengthLimit: limit) with { Knowledge = knowledge });

    [Fact]
    public void A_matched_question_gets_the_entrys_words_then_the_next_step()
    {
        var decision = Answer("how fast can u close", knowledge: Closing);

        Assert.Equal("We can close in as little as 7 days, or on the date that suits you. You choose the closing date. When is a good time for a quick call?", decision.Reply);
        Assert.Equal([Closing.Id], decision.Sources);
        Assert.Null(decision.UnansweredQuestion);
        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
    }

    [Fact]
    public void A_stranger_is_answered_then_asked_their_name()
    {
        var decision = Answer("how fast can u close", name: null, knowledge: Closing);

        Assert.Equal("We can close in as little as 7 days, or on the date that suits you. You choose the closing date. Who am I speaking with?", decision.Reply);
    }

    [Theory]
    [InlineData(160)]
    [InlineData(120)]
    [InlineData(90)]
    public void A_long_entry_is_trimmed_to_whole_sentences_never_mid_sentence(int limit)
    {
        var decision = Answer("how do you come up with the price", limit: limit, knowledge: Long);

        Chat.AssertSmsSafe(decision.Reply, limit);
        Assert.StartsWith("Our cash offer is based on the home's location, its condition and recent sales nearby.", decision.Reply, StringComparison.Ordinal);
        var quoted = decision.Reply!.Replace(" When is a good time for a quick call?", "", StringComparison.Ordinal);
        Assert.Contains(quoted, Long.Text, StringComparison.Ordinal);
        Assert.EndsWith(".", quoted, StringComparison.Ordinal);
        Assert.Equal([Long.Id], decision.Sources);
    }

    [Fact]
    public void An_entry_whose_first_sentence_cannot_fit_is_not_cut_and_is_not_a_gap()
    {
        var decision = Answer("how do you come up with the price", limit: 60, knowledge: Long);

        Assert.DoesNotContain("Our cash offer", decision.Reply, StringComparison.Ordinal);
        Assert.Empty(decision.Sources);
        Assert.Null(decision.UnansweredQuestion);
    }

    [Theory]
    [InlineData("how much would you pay")]
    [InlineData("do you do rent to own")]
    [InlineData("whats ur process")]
    public void A_business_question_nothing_answers_is_deferred_and_left_as_a_gap(string text)
    {
        var decision = Answer(text);

        Assert.Contains(SafetyReplies.Deferral, decision.Reply, StringComparison.Ordinal);
        Assert.Empty(decision.Sources);
        Assert.Equal(text, decision.UnansweredQuestion);
    }

    [Theory]
    [InlineData("i have renters in there, is that ok")]
    [InlineData("the basement flooded last yr. still interested?")]
    public void A_strong_match_on_a_question_the_tables_miss_is_answered(string text)
    {
        var decision = Answer(text, knowledge: Closing);

        Assert.StartsWith("We can close in as little as 7 days", decision.Reply, StringComparison.Ordinal);
        Assert.Equal([Closing.Id], decision.Sources);
    }

    [Theory]
    [InlineData("sounds good")]
    [InlineData("ok thanks")]
    [InlineData("my name is Ana")]
    public void A_match_on_a_text_that_asks_nothing_is_not_quoted(string text)
    {
        var decision = Answer(text, knowledge: Closing);

        Assert.Empty(decision.Sources);
        Assert.DoesNotContain("7 days", decision.Reply, StringComparison.Ordinal);
        Assert.Null(decision.UnansweredQuestion);
    }

    [Fact]
    public void Two_passages_matching_about_as_well_are_not_guessed_between_and_leave_a_gap()
    {
        var decision = Answer("how do you come up with the price", knowledge: [Closing, Long with { Score = Closing.Score - (BusinessAnswer.ClearLead / 2) }]);

        Assert.Contains(SafetyReplies.Deferral, decision.Reply, StringComparison.Ordinal);
        Assert.Empty(decision.Sources);
        Assert.Equal("how do you come up with the price", decision.UnansweredQuestion);
    }

    [Fact]
    public void A_clear_leader_among_several_passages_is_quoted()
    {
        var decision = Answer("how do you come up with the price", knowledge: [Long, Closing with { Score = Long.Score - (2 * BusinessAnswer.ClearLead) }]);

        Assert.Equal([Long.Id], decision.Sources);
    }

    [Fact]
    public void A_weak_match_on_a_question_the_tables_miss_is_not_quoted()
    {
        var decision = Answer("is that ok?", knowledge: Closing with { Score = BusinessAnswer.StrongMatch / 2 });

        Assert.Empty(decision.Sources);
    }

    [Fact]
    public void Who_we_are_stays_and_the_question_after_it_is_answered_from_the_knowledge()
    {
        var decision = Answer("who is this? how fast can you close", name: null, knowledge: Closing);

        Assert.Equal("This is Acme Home Buyers. We can close in as little as 7 days, or on the date that suits you. You choose the closing date. Who am I speaking with?", decision.Reply);
    }

    [Theory]
    [InlineData("stop texting me, how much do you pay", AgentOutcome.NotInterested)]
    [InlineData("my wife passed away. how fast can you close", AgentOutcome.NeedsHuman)]
    [InlineData("i want to talk to a real person about closing", AgentOutcome.NeedsHuman)]
    public void Safety_outcomes_come_before_the_knowledge(string text, AgentOutcome outcome)
    {
        var decision = Answer(text, knowledge: Closing);

        Assert.Equal(outcome, decision.Outcome);
        Assert.Empty(decision.Sources);
        Assert.DoesNotContain("7 days", decision.Reply ?? "", StringComparison.Ordinal);
    }
}
