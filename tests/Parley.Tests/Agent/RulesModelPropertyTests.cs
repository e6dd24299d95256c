using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Parley.Agent;
using Parley.Agent.Rules;
using Xunit;

namespace Parley.Tests.Agent;

public sealed class RulesModelPropertyTests
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [Fact]
    public void Any_text_parses_to_nothing_or_a_time_in_the_future()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
            {
                var at = TimeExpressionParser.Parse(text ?? "", Chat.Now);
                return (at is null || at > Chat.Now).Label($"{text} gave {at}");
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Weekday_with_an_explicit_time_lands_on_that_weekday_within_a_week()
    {
        var phrases =
            from day in Gen.Elements(Weekdays)
            from hour in Gen.Choose(1, 12)
            from minute in Gen.Elements(0, 15, 30, 45)
            from pm in Gen.Elements(false, true)
            from casing in Gen.Elements(false, true)
            select (Day: day, Hour: hour, Minute: minute, Pm: pm,
                Text: $"{(casing ? day.ToUpperInvariant() : day)} at {hour}:{minute:00}{(pm ? "pm" : "am")}");

        Prop.ForAll(phrases.ToArbitrary(), p =>
            {
                var at = TimeExpressionParser.Parse(p.Text, Chat.Now);
                var expectedHour = p.Hour % 12 + (p.Pm ? 12 : 0);
                return (at is { } t
                        && t.DayOfWeek.ToString().Equals(p.Day, StringComparison.OrdinalIgnoreCase)
                        && t.Hour == expectedHour && t.Minute == p.Minute
                        && t > Chat.Now && t <= Chat.Now.AddDays(7))
                    .Label($"{p.Text} gave {at?.ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}");
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Carrier_keywords_opt_out_whatever_the_case_spacing_and_punctuation()
    {
        var texts =
            from keyword in Gen.Elements("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout")
            from upper in Gen.ArrayOf(Gen.Elements(false, true), keyword.Length)
            from before in Gen.Elements("", " ", "  ", "\n", "\t")
            from after in Gen.Elements("", ".", "!", "!!", "?", " ", ". ", "!!!\n")
            select before + new string(keyword.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : c).ToArray()) + after;

        Prop.ForAll(texts.ToArbitrary(), text => (OptOutWords.Classify(text) == OptIntent.OptOut).Label(text))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_text_gets_a_decision_and_any_reply_is_sms_safe()
    {
        var model = new RulesModel();
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
            {
                var context = Chat.Context([(Speaker.Agent, Chat.AskedForTime), (Speaker.Contact, text ?? "")], contactFirstName: null);
                var decision = model.DecideAsync(context, CancellationToken.None).GetAwaiter().GetResult();
                var reply = decision.Reply ?? "";
                return (reply.Length <= 160 && reply.All(Chat.IsGsm))
                    .Label($"{text} gave {decision.Outcome}: {reply}");
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_business_and_contact_name_still_give_sms_safe_replies()
    {
        var texts = Gen.Elements("hi", "who is this?", "not interested", "can I talk to a manager?", "tomorrow at 3", "wrong number");
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), ArbMap.Default.ArbFor<string>(), texts.ToArbitrary(), (business, name, text) =>
            {
                var context = Chat.Context([(Speaker.Agent, Chat.Opener), (Speaker.Contact, text)], contactFirstName: name, business: business ?? "");
                var reply = Chat.Decide(context).Reply ?? "";
                return (reply.Length <= 160 && reply.All(Chat.IsGsm)).Label($"{business} / {name}: {reply}");
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Long_messages_in_any_script_are_handled()
    {
        var text = string.Concat(Enumerable.Repeat("\u0645\u0631\u062d\u0628\u0627 \u0663\u0664 \U0001F600 \u4f60\u597d stop by tomorrow? ", 2000));

        var decision = Chat.Answer(text);

        Assert.NotEqual(AgentOutcome.NotInterested, decision.Outcome);
        Chat.AssertSmsSafe(decision.Reply);
        Assert.Null(TimeExpressionParser.Parse("\u0663pm", Chat.Now));
    }
}
