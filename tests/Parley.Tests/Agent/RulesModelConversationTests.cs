using Parley.Agent;
using Parley.Agent.Rules;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>Names, identity checks, the shape of ongoing replies, and determinism.</summary>
public sealed class RulesModelConversationTests
{
    private const string AskName = "Thanks for reaching out to Acme Home Buyers! Who am I speaking with?";

    [Fact]
    public void Model_is_named_rules_v1()
    {
        Assert.Equal("rules-v1", new RulesModel().Name);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("I got your letter")]
    [InlineData("Interested")]
    [InlineData("What is this about?")]
    public void Unknown_texters_are_asked_their_name_before_anything_else(string text)
    {
        var decision = Chat.Decide(Chat.Context([(Speaker.Contact, text)], contactFirstName: null));

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.Equal(AskName, decision.Reply);
        Assert.Null(decision.ContactFirstName);
    }

    [Theory]
    [InlineData("Hi this is Robert, I got your letter", "Robert")]
    [InlineData("my name is Ana, do you buy houses?", "Ana")]
    [InlineData("Hey it's Jose. Interested in selling", "Jose")]
    public void A_name_given_in_the_first_text_is_learned_and_not_asked_for(string text, string expected)
    {
        var decision = Chat.Decide(Chat.Context([(Speaker.Contact, text)], contactFirstName: null));

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.Equal(expected, decision.ContactFirstName);
        Assert.DoesNotContain("Who am I speaking with", decision.Reply, StringComparison.Ordinal);
        Assert.StartsWith($"Nice to meet you, {expected}!", decision.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("robert", "Robert")]
    [InlineData("Ana!", "Ana")]
    [InlineData("it's o'brien", "O'Brien")]
    [InlineData("mary-jane", "Mary-Jane")]
    [InlineData("This is Sarah", "Sarah")]
    public void A_name_answering_the_agents_question_is_learned(string text, string expected)
    {
        var context = Chat.Context(
            [(Speaker.Contact, "Hi, do you buy houses?"), (Speaker.Agent, AskName), (Speaker.Contact, text)],
            contactFirstName: null);

        var decision = Chat.Decide(context);

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.Equal(expected, decision.ContactFirstName);
        Assert.Equal($"Nice to meet you, {expected}! The details are easiest to cover on a quick call. What time works for you?", decision.Reply);
        Chat.AssertSmsSafe(decision.Reply);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("why?")]
    [InlineData("I'm interested")]
    [InlineData("hello?")]
    public void A_non_name_answer_is_not_learned_and_the_name_is_not_asked_again(string text)
    {
        var context = Chat.Context(
            [(Speaker.Contact, "hi"), (Speaker.Agent, AskName), (Speaker.Contact, text)],
            contactFirstName: null);

        var decision = Chat.Decide(context);

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.Null(decision.ContactFirstName);
        Assert.DoesNotContain("Who am I speaking with", decision.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_texters_are_asked_to_confirm_who_they_are_first()
    {
        var context = Chat.Context([(Speaker.Contact, "Hi, got your text")], contactFirstName: null, clientFirstName: "Maria");

        var decision = Chat.Decide(context);

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.Equal("Hi, is this Maria? This is Acme Home Buyers.", decision.Reply);
        Assert.Null(decision.IdentityConfirmed);
    }

    [Fact]
    public void Identity_is_asked_within_the_first_two_agent_messages_only()
    {
        var second = Chat.Context(
            [(Speaker.Agent, "Hi from Acme Home Buyers"), (Speaker.Contact, "hello")],
            contactFirstName: null, clientFirstName: "Maria");
        var third = Chat.Context(
            [(Speaker.Agent, "Hi from Acme Home Buyers"), (Speaker.Contact, "hello"), (Speaker.Agent, "Thanks for the reply!"), (Speaker.Contact, "sure")],
            contactFirstName: null, clientFirstName: "Maria");

        Assert.Contains("is this Maria?", Chat.Decide(second).Reply, StringComparison.Ordinal);
        Assert.DoesNotContain("is this Maria?", Chat.Decide(third).Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_message_for_a_known_texter_asks_identity()
    {
        var decision = Chat.Decide(Chat.Context([], contactFirstName: null, clientFirstName: "Maria"));

        Assert.Equal("Hi, is this Maria? This is Acme Home Buyers.", decision.Reply);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("Yes!")]
    [InlineData("yep")]
    [InlineData("yeah")]
    [InlineData("yeah this is her")]
    [InlineData("Yes this is she")]
    [InlineData("speaking")]
    [InlineData("that's me")]
    [InlineData("Yup that's me")]
    [InlineData("Yes it is")]
    [InlineData("it's me")]
    [InlineData("correct")]
    [InlineData("This is Maria")]
    [InlineData("Maria here")]
    [InlineData("yes, who is this?")]
    public void A_yes_to_is_this_maria_confirms_identity_and_uses_her_name(string text)
    {
        var decision = Chat.Decide(IdentityAsked(text));

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.True(decision.IdentityConfirmed);
        Assert.Equal("Maria", decision.ContactFirstName);
        Assert.StartsWith("Thanks, Maria!", decision.Reply, StringComparison.Ordinal);
        Chat.AssertSmsSafe(decision.Reply);
    }

    [Fact]
    public void A_yes_with_a_question_confirms_and_answers_the_question()
    {
        var decision = Chat.Decide(IdentityAsked("yes, who is this?"));

        Assert.Equal("Thanks, Maria! This is Acme Home Buyers. We'd love to set up a quick call. When is a good time for you?", decision.Reply);
    }

    [Fact]
    public void A_yes_after_a_question_answers_that_earlier_question()
    {
        var context = Chat.Context(
            [(Speaker.Contact, "Do you buy houses in Tampa?"), (Speaker.Agent, "Hi, is this Maria? This is Acme Home Buyers."), (Speaker.Contact, "yes")],
            contactFirstName: null, clientFirstName: "Maria");

        var decision = Chat.Decide(context);

        Assert.True(decision.IdentityConfirmed);
        Assert.Equal("Thanks, Maria! The details are easiest to cover on a quick call. What time works for you?", decision.Reply);
    }

    [Fact]
    public void A_yes_with_a_time_confirms_identity_and_books()
    {
        var decision = Chat.Decide(IdentityAsked("Yes. Tomorrow at 3 works"));

        Assert.Equal(AgentOutcome.AppointmentScheduled, decision.Outcome);
        Assert.True(decision.IdentityConfirmed);
        Assert.Equal(Chat.At("2026-11-22 15:00"), decision.CallbackAtLocal);
        Assert.Equal("Perfect, Maria, you're booked for a call Sun Nov 22 at 3:00 PM ET. Talk soon!", decision.Reply);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("No.")]
    [InlineData("nope")]
    [InlineData("Nope!")]
    [InlineData("nah")]
    [InlineData("not me")]
    [InlineData("no it's not")]
    [InlineData("no sorry")]
    [InlineData("wrong person")]
    [InlineData("No, this isn't Maria")]
    [InlineData("No. Wrong number")]
    [InlineData("No this is Mike")]
    [InlineData("This is Mike")]
    [InlineData("who is Maria?")]
    [InlineData("I'm not Maria")]
    public void A_no_to_is_this_maria_is_wrong_person(string text)
    {
        var decision = Chat.Decide(IdentityAsked(text));

        Assert.Equal(AgentOutcome.WrongPerson, decision.Outcome);
        Assert.False(decision.IdentityConfirmed);
        Assert.Equal("Sorry about that, we'll update our records. Have a good day!", decision.Reply);
    }

    [Fact]
    public void Nope_not_interested_to_is_this_maria_is_not_interested()
    {
        var decision = Chat.Decide(IdentityAsked("Nope, not interested"));

        Assert.Equal(AgentOutcome.NotInterested, decision.Outcome);
        Assert.Null(decision.Reply);
    }

    [Fact]
    public void A_confirmed_client_is_addressed_by_first_name_without_asking_again()
    {
        var context = Chat.Context(
            [(Speaker.Agent, "Hi Maria, this is Acme Home Buyers."), (Speaker.Contact, "hi")],
            contactFirstName: null, clientFirstName: "Maria", identityConfirmed: true);

        var decision = Chat.Decide(context);

        Assert.Equal("Maria", decision.ContactFirstName);
        Assert.DoesNotContain("is this Maria", decision.Reply, StringComparison.Ordinal);
        Assert.Contains("Maria", decision.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_no_after_a_campaign_question_is_not_interested_not_wrong_person()
    {
        var decision = Chat.Decide(Chat.Context(
            [(Speaker.Agent, "Hi Maria, are you still thinking about selling?"), (Speaker.Contact, "no")],
            contactFirstName: null, clientFirstName: "Maria"));

        Assert.Equal(AgentOutcome.NotInterested, decision.Outcome);
    }

    public static TheoryData<string> OngoingTexts =>
    [
        "Hi", "hello", "Hey there", "Good morning", "Who is this?", "who's this", "Is this a bot?",
        "Are you a real person?", "What is this about?", "Maybe", "Yes", "Yes I'm interested", "Tell me more", "Sure",
        "ok", "Thanks", "Thank you", "What do you do exactly?", "Do you buy houses in Tampa?",
        "Can you send me more info?", "I'm busy right now", "Not tomorrow", "Call me tomorrow", "Friday works",
        "Sometime next week", "I might be interested", "What's the process?", "HELP", "Depends on the offer",
        "hmm", "lol", "\U0001F44D", "I\u2019m thinking about it \u2014 what\u2019s next?", "k", "Maybe next month",
        "How long does it take?", "Is this legit?", "Where are you located?", "I got your letter", "???",
    ];

    [Theory]
    [MemberData(nameof(OngoingTexts))]
    public void Ongoing_replies_fit_one_gsm_segment(string text)
    {
        var decision = Chat.Answer(text);

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Chat.AssertSmsSafe(decision.Reply);
        Assert.Null(decision.CallbackAtLocal);
    }

    [Theory]
    [MemberData(nameof(OngoingTexts))]
    public void Ongoing_replies_fit_even_with_a_long_business_name_and_a_short_limit(string text)
    {
        var business = "The Extremely Long Business Name Real Estate Investment Group of Greater Tampa Bay Holdings LLC";
        var context = Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, text)], business: business, replyLengthLimit: 100);

        var decision = Chat.Decide(context);

        Chat.AssertSmsSafe(decision.Reply, 100);
    }

    [Theory]
    [InlineData("Who is this?", "This is Acme Home Buyers, Robert.")]
    [InlineData("Is this a bot?", "I'm an automated assistant for Acme Home Buyers.")]
    [InlineData("I'm busy right now", "Understood, Robert.")]
    [InlineData("Do you buy houses in Tampa?", SafetyReplies.Deferral)]
    [InlineData("Hi", "Hi, Robert!")]
    [InlineData("Thanks", "You're welcome, Robert!")]
    [InlineData("Yes I'm interested", "Glad to hear it, Robert.")]
    [InlineData("HELP", "This is Acme Home Buyers. Reply STOP to opt out.")]
    [InlineData("Who's asking?", "This is Acme Home Buyers, Robert.")]
    public void Ongoing_replies_answer_what_was_said(string text, string expectedStart) =>
        Assert.StartsWith(expectedStart, Chat.Answer(text).Reply, StringComparison.Ordinal);

    [Fact]
    public void Business_names_with_typographic_characters_are_made_gsm_safe()
    {
        var context = Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, "Who is this?")], business: "Joe\u2019s Homes \u2014 Tampa \U0001F3E0");

        var decision = Chat.Decide(context);

        Assert.StartsWith("This is Joe's Homes - Tampa, Robert.", decision.Reply, StringComparison.Ordinal);
        Chat.AssertSmsSafe(decision.Reply);
    }

    [Fact]
    public void Accented_names_outside_gsm_are_spelled_plainly_in_replies_but_kept_in_the_decision()
    {
        var decision = Chat.Decide(Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, "Hi")], contactFirstName: "Zo\u00eb"));

        Assert.Equal("Zo\u00eb", decision.ContactFirstName);
        Assert.StartsWith("Hi, Zoe!", decision.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_length_limit_falls_back_to_one_segment()
    {
        var decision = Chat.Decide(Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, "Hi")], replyLengthLimit: 0));

        Chat.AssertSmsSafe(decision.Reply);
    }

    [Fact]
    public void Needs_human_closing_names_the_business()
    {
        var decision = Chat.Answer("Can I talk to a real person?");

        Assert.Equal("Got it, someone from Acme Home Buyers will reach out to you shortly.", decision.Reply);
    }

    [Fact]
    public void An_opt_out_that_reaches_the_model_pauses_silently()
    {
        var decision = Chat.Answer("STOP");

        Assert.Equal(AgentOutcome.NotInterested, decision.Outcome);
        Assert.Null(decision.Reply);
    }

    [Fact]
    public void Repeated_situations_vary_the_wording_deterministically()
    {
        var first = Chat.Decide(Chat.Context([(Speaker.Contact, "hi"), (Speaker.Agent, "Hi Robert!"), (Speaker.Contact, "ok")]));
        var second = Chat.Decide(Chat.Context([
            (Speaker.Contact, "hi"), (Speaker.Agent, "Hi Robert!"), (Speaker.Contact, "ok"), (Speaker.Agent, first.Reply!), (Speaker.Contact, "ok"),
        ]));

        Assert.NotEqual(first.Reply, second.Reply);
    }

    public static TheoryData<string> EveryKindOfText =>
    [
        "tomorrow at 3", "not interested", "wrong number", "Can I talk to a manager?", "hello", "This is Robert",
        "I'm busy tomorrow at 3", "STOP", "yes", "no", "what's the price?", "Friday works",
    ];

    [Theory]
    [MemberData(nameof(EveryKindOfText))]
    public async Task Same_context_gives_the_same_decision(string text)
    {
        var model = new RulesModel();
        var context = Chat.Context([(Speaker.Agent, Chat.AskedForTime), (Speaker.Contact, text)], contactFirstName: null, clientFirstName: "Maria");

        var first = await model.DecideAsync(context, CancellationToken.None);
        var second = await model.DecideAsync(context with { History = [.. context.History] }, CancellationToken.None);

        Assert.Equal(first, second);
    }

    private static AgentContext IdentityAsked(string answer) => Chat.Context(
        [(Speaker.Agent, "Hi, is this Maria? This is Acme Home Buyers."), (Speaker.Contact, answer)],
        contactFirstName: null, clientFirstName: "Maria");
}
