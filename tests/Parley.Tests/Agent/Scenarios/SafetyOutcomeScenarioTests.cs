using System.Text;
using Parley.Agent;
using Xunit;
using Xunit.Abstractions;

namespace Parley.Tests.Agent.Scenarios;

/// <summary>Realistic texts through the rules model and the safety check that runs before any model.</summary>
public sealed class SafetyOutcomeScenarioTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> SafetyRows() => Rows(SafetyScenarios.IsSafety);

    public static TheoryData<string> BusinessQuestions() =>
        [.. SafetyScenarios.All.Where(r => r.Expected == Expect.BusinessQuestion).Select(r => r.Text)];

    public static TheoryData<string> OrdinaryTexts() =>
        [.. SafetyScenarios.All.Where(r => r.Expected is Expect.Ordinary or Expect.BusinessQuestion).Select(r => r.Text)];

    [Theory]
    [MemberData(nameof(SafetyRows))]
    public void Every_safety_outcome_is_right_with_the_rules_model(string text, string expected)
    {
        var (outcome, replyDue) = SafetyScenarios.Due(Enum.Parse<Expect>(expected));

        foreach (var name in new[] { "Robert", null })
        {
            var decision = Chat.Answer(text, contactFirstName: name);
            Assert.Equal(outcome, decision.Outcome);
            Assert.Equal(Closing(Enum.Parse<Expect>(expected)), decision.Reply);
            Assert.Equal(replyDue, decision.Reply is not null);
        }
    }

    [Theory]
    [MemberData(nameof(SafetyRows))]
    public void Every_safety_outcome_is_decided_before_any_model_is_asked(string text, string expected)
    {
        var context = Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, text)]);

        var decision = TurnRunner.SafetyDecision(context);

        Assert.NotNull(decision);
        Assert.Equal(SafetyScenarios.Due(Enum.Parse<Expect>(expected)).Outcome, decision.Outcome);
        Assert.Equal(Closing(Enum.Parse<Expect>(expected)), decision.Reply);
    }

    [Theory]
    [MemberData(nameof(OrdinaryTexts))]
    public void Ordinary_texts_and_business_questions_are_left_to_the_model(string text) =>
        Assert.Null(TurnRunner.SafetyDecision(Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, text)])));

    [Theory]
    [MemberData(nameof(BusinessQuestions))]
    public void Business_questions_get_an_honest_answer_then_the_conversation_goes_on(string text)
    {
        var known = Chat.Answer(text);
        Assert.Equal(AgentOutcome.Ongoing, known.Outcome);
        Assert.Contains(SafetyReplies.Deferral, known.Reply, StringComparison.Ordinal);
        Assert.EndsWith("When is a good time for a quick call?", known.Reply, StringComparison.Ordinal);
        Chat.AssertSmsSafe(known.Reply);

        var stranger = Chat.Answer(text, contactFirstName: null);
        Assert.Equal(AgentOutcome.Ongoing, stranger.Outcome);
        Assert.Contains(SafetyReplies.Deferral, stranger.Reply, StringComparison.Ordinal);
        Assert.EndsWith("Who am I speaking with?", stranger.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("who is this", "This is Acme Home Buyers. Who am I speaking with?")]
    [InlineData("is this a bot?", "I'm an automated assistant for Acme Home Buyers. Who am I speaking with?")]
    public void A_stranger_asking_who_we_are_is_told_before_being_asked_their_name(string text, string expected) =>
        Assert.Equal(expected, Chat.Answer(text, contactFirstName: null).Reply);

    [Fact]
    public void At_least_95_percent_of_all_outcomes_are_right_and_a_reply_comes_exactly_when_due()
    {
        var confusion = new Dictionary<(AgentOutcome Want, AgentOutcome Got), int>();
        var wrong = new List<string>();
        var replyWrong = new List<string>();
        foreach (var (text, expected) in SafetyScenarios.All)
        {
            var (outcome, replyDue) = SafetyScenarios.Due(expected);
            var decision = Chat.Answer(text);
            confusion[(outcome, decision.Outcome)] = confusion.GetValueOrDefault((outcome, decision.Outcome)) + 1;
            if (decision.Outcome != outcome)
            {
                wrong.Add($"{expected}: \"{text}\" -> {decision.Outcome}");
            }

            if ((decision.Reply is not null) != replyDue)
            {
                replyWrong.Add($"\"{text}\" -> reply \"{decision.Reply}\"");
            }
        }

        var report = new StringBuilder("expected -> got: count\n");
        foreach (var ((want, got), count) in confusion.OrderBy(c => c.Key.Want).ThenBy(c => c.Key.Got))
        {
            report.Append(want).Append(" -> ").Append(got).Append(": ").Append(count).Append('\n');
        }

        var right = SafetyScenarios.All.Length - wrong.Count;
        report.Append(System.Globalization.CultureInfo.InvariantCulture, $"{right}/{SafetyScenarios.All.Length} right\n").AppendJoin('\n', wrong);
        output.WriteLine(report.ToString());

        Assert.True(right >= SafetyScenarios.All.Length * 0.95, report.ToString());
        Assert.Empty(replyWrong);
    }

    private static string? Closing(Expect expected) => expected switch
    {
        Expect.Person => SafetyReplies.HandOff(Chat.Business),
        Expect.Sensitive => SafetyReplies.Kind(Chat.Business),
        _ => null,
    };

    private static TheoryData<string, string> Rows(Func<Expect, bool> which)
    {
        var rows = new TheoryData<string, string>();
        foreach (var (text, expected) in SafetyScenarios.All.Where(r => which(r.Expected)))
        {
            rows.Add(text, expected.ToString());
        }

        return rows;
    }
}
