using Parley.Agent;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>One contact text answering the agent; each outcome with its phrasings and its near-misses.</summary>
public sealed class RulesModelOutcomeTests
{
    [Theory]
    [InlineData("Not interested")]
    [InlineData("not interested")]
    [InlineData("NOT INTERESTED!!")]
    [InlineData("not intrested")]
    [InlineData("Not intersted thanks")]
    [InlineData("I'm not interested")]
    [InlineData("I am not interested")]
    [InlineData("not really interested")]
    [InlineData("Not interested at all")]
    [InlineData("Not interested. Thanks anyway")]
    [InlineData("not interested rn")]
    [InlineData("no longer interested")]
    [InlineData("Uninterested")]
    [InlineData("no interest")]
    [InlineData("no thanks")]
    [InlineData("NO THANKS")]
    [InlineData("No thank you.")]
    [InlineData("no thx")]
    [InlineData("no thanks, have a good one")]
    [InlineData("Nope, not interested")]
    [InlineData("nope not interested")]
    [InlineData("We're good")]
    [InlineData("we're good thanks")]
    [InlineData("I'm good thanks")]
    [InlineData("No I'm good")]
    [InlineData("nah I'm good")]
    [InlineData("I'm all set")]
    [InlineData("Already sold")]
    [InlineData("already sold it")]
    [InlineData("We sold the house last month")]
    [InlineData("Not selling")]
    [InlineData("I'm not selling")]
    [InlineData("We're not selling")]
    [InlineData("not selling right now")]
    [InlineData("Not for sale")]
    [InlineData("It's not for sale")]
    [InlineData("Don't need it")]
    [InlineData("don't need it thanks")]
    [InlineData("Not looking")]
    [InlineData("not looking to sell")]
    [InlineData("Pass")]
    [InlineData("pass.")]
    [InlineData("I'll pass")]
    [InlineData("Hard pass")]
    [InlineData("Not at this time")]
    [InlineData("not at this time, thanks")]
    [InlineData("not at the moment")]
    [InlineData("No")]
    [InlineData("nope")]
    [InlineData("Nah")]
    [InlineData("Nooo")]
    [InlineData("No way")]
    [InlineData("never")]
    [InlineData("I changed my mind")]
    [InlineData("Absolutely not")]
    [InlineData("Already have an agent")]
    [InlineData("It's under contract")]
    [InlineData("I sold it in March")]
    [InlineData("lol no")]
    [InlineData("no man")]
    [InlineData("nope, we're keeping it")]
    [InlineData("I'm keeping it")]
    [InlineData("Not gonna sell")]
    public void Not_interested_phrasings_pause_silently(string text)
    {
        var decision = Chat.Answer(text);

        Assert.Equal(AgentOutcome.NotInterested, decision.Outcome);
        Assert.Null(decision.Reply);
        Assert.Null(decision.CallbackAtLocal);
    }

    [Theory]
    [InlineData("I'm interested")]
    [InlineData("Yes I'm interested!")]
    [InlineData("Very interested")]
    [InlineData("no problem")]
    [InlineData("No worries")]
    [InlineData("no rush")]
    [InlineData("not a problem")]
    [InlineData("Not sure yet, tell me more")]
    [InlineData("I don't know yet")]
    [InlineData("No, Tuesday is better")]
    [InlineData("no, I meant Tuesday")]
    [InlineData("Not right now but call me tomorrow at 3")]
    [InlineData("I don't need much time, call me at 4")]
    [InlineData("no thanks for asking, tomorrow at 3 works")]
    [InlineData("Passing through town tomorrow, call me at 5")]
    [InlineData("I'm not busy now")]
    [InlineData("I'm looking forward to it")]
    [InlineData("Not looking forward to the move but let's talk")]
    [InlineData("We're good to talk tomorrow at 2")]
    [InlineData("Are you interested in my other property?")]
    [InlineData("Nothing yet")]
    [InlineData("I don't know what time works")]
    [InlineData("no, the house is still available")]
    [InlineData("Not tomorrow, maybe Monday")]
    [InlineData("Not interested in a lowball offer but I'd listen")]
    [InlineData("I was not interested before but now I am")]
    [InlineData("No, but my neighbor might be")]
    public void Near_misses_for_not_interested_keep_the_conversation_going(string text) =>
        Assert.NotEqual(AgentOutcome.NotInterested, Chat.Answer(text).Outcome);

    [Theory]
    [InlineData("Wrong number")]
    [InlineData("wrong number!")]
    [InlineData("WRONG NUMBER")]
    [InlineData("wrong #")]
    [InlineData("Wrong num")]
    [InlineData("wrng number")]
    [InlineData("u have the wrong number")]
    [InlineData("You have the wrong person")]
    [InlineData("you've got the wrong number")]
    [InlineData("You must have the wrong number")]
    [InlineData("I think you have the wrong number")]
    [InlineData("you got the wrong person buddy")]
    [InlineData("You texted the wrong person")]
    [InlineData("Sorry, wrong person")]
    [InlineData("wrong person lol")]
    [InlineData("Wrong guy")]
    [InlineData("No one by that name here")]
    [InlineData("There's no one here by that name")]
    [InlineData("nobody by that name")]
    [InlineData("Nobody named Robert here")]
    [InlineData("I'm not Robert")]
    [InlineData("i'm not robert")]
    [InlineData("This isn't Robert")]
    [InlineData("this is not robert")]
    [InlineData("Who is Robert?")]
    [InlineData("no robert here")]
    [InlineData("There's no Robert here")]
    [InlineData("Who is this? I don't know any Robert")]
    [InlineData("I don't know anyone named Robert")]
    [InlineData("never heard of him")]
    [InlineData("Robert doesn't live here")]
    [InlineData("He doesn't live here anymore")]
    [InlineData("She moved out years ago")]
    [InlineData("Not my name")]
    [InlineData("That's not my name")]
    [InlineData("This is not his number anymore")]
    [InlineData("I just got this number")]
    [InlineData("New to this number, sorry")]
    [InlineData("I'm not the owner")]
    [InlineData("I don't own that property")]
    [InlineData("I never owned that house")]
    public void Wrong_person_phrasings_apologise_briefly(string text)
    {
        var decision = Chat.Answer(text);

        Assert.Equal(AgentOutcome.WrongPerson, decision.Outcome);
        Assert.Equal("Sorry about that, we'll update our records. Have a good day!", decision.Reply);
    }

    [Theory]
    [InlineData("What's wrong?")]
    [InlineData("wrong time, can we do 4?")]
    [InlineData("Sorry I had the wrong time, 4pm works")]
    [InlineData("I don't know yet")]
    [InlineData("I don't know what time works")]
    [InlineData("I don't know anything about that")]
    [InlineData("Who is this?")]
    [InlineData("I'm not sure")]
    [InlineData("I'm not available until 3")]
    [InlineData("This isn't a good time")]
    [InlineData("It's not a good time")]
    [InlineData("Not my favorite day but ok")]
    [InlineData("I'm the owner")]
    [InlineData("is this the right number to call?")]
    [InlineData("My husband handles this")]
    [InlineData("I know who you are")]
    [InlineData("Right person, go ahead")]
    [InlineData("Yes this is Robert")]
    [InlineData("Robert here")]
    [InlineData("no one told me about this")]
    [InlineData("nothing wrong with the house")]
    [InlineData("I'm not interested")]
    public void Near_misses_for_wrong_person_are_not_wrong_person(string text) =>
        Assert.NotEqual(AgentOutcome.WrongPerson, Chat.Answer(text).Outcome);

    [Theory]
    [InlineData("Can I speak to a real person?")]
    [InlineData("I want to talk to a human")]
    [InlineData("let me speak to your manager")]
    [InlineData("Get me a manager")]
    [InlineData("I need a supervisor")]
    [InlineData("Can I talk to someone?")]
    [InlineData("Is there a real person I can talk to?")]
    [InlineData("Connect me with an agent")]
    [InlineData("transfer me to a representative")]
    [InlineData("Let me speak with a representative")]
    [InlineData("I want to talk to the owner")]
    [InlineData("Customer service please")]
    [InlineData("Put me through to someone in charge")]
    [InlineData("I need to speak with someone today")]
    [InlineData("Have someone call me")]
    [InlineData("can someone call me?")]
    [InlineData("Call me now")]
    [InlineData("call me right now please")]
    [InlineData("Call me ASAP")]
    public void Requests_for_a_person_hand_off(string text)
    {
        var decision = Chat.Answer(text);

        Assert.Equal(AgentOutcome.NeedsHuman, decision.Outcome);
        Assert.Equal("Got it, someone from Acme Home Buyers will reach out to you shortly.", decision.Reply);
    }

    [Theory]
    [InlineData("This is ridiculous")]
    [InlineData("terrible service")]
    [InlineData("Worst company ever")]
    [InlineData("This is unacceptable")]
    [InlineData("I want to file a complaint")]
    [InlineData("My lawyer will be in touch")]
    [InlineData("I'm contacting my attorney")]
    [InlineData("Talk to my attorney")]
    [InlineData("I will sue you")]
    [InlineData("Cease and desist")]
    [InlineData("This is harassment")]
    [InlineData("I'll see you in court")]
    [InlineData("TCPA violation")]
    [InlineData("Is this a scam?")]
    [InlineData("I'm reporting you to the FCC")]
    [InlineData("Robert passed away last year")]
    [InlineData("He died in 2019")]
    [InlineData("This is his son, he passed")]
    public void Complaints_legal_threats_and_bereavement_hand_off_kindly(string text)
    {
        var decision = Chat.Answer(text);

        Assert.Equal(AgentOutcome.NeedsHuman, decision.Outcome);
        Assert.Equal(SafetyReplies.Kind(Chat.Business), decision.Reply);
    }

    [Theory]
    [InlineData("How did you get my number?")]
    [InlineData("Who gave you my number?")]
    [InlineData("How much exactly?")]
    [InlineData("How much will you pay?")]
    [InlineData("how much do you charge")]
    [InlineData("What's your offer?")]
    [InlineData("What's the price?")]
    [InlineData("What's your commission?")]
    [InlineData("Give me a number")]
    [InlineData("What's your best offer?")]
    [InlineData("What is the offer")]
    public void Questions_about_price_and_the_number_are_answered_not_handed_off(string text)
    {
        var decision = Chat.Answer(text);

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.StartsWith(SafetyReplies.Deferral, decision.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Who_is_this_and_where_the_number_came_from_get_both_answers()
    {
        var decision = Chat.Answer("Who is this? How'd you get this number?");

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.StartsWith("This is Acme Home Buyers. " + SafetyReplies.Deferral, decision.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("This is Sue")]
    [InlineData("Sue here")]
    [InlineData("I'm a manager at a bank")]
    [InlineData("The court date is Friday")]
    [InlineData("I'm at the food court")]
    [InlineData("How much time do you need?")]
    [InlineData("how much longer?")]
    [InlineData("is this a bot?")]
    [InlineData("Are you a real person?")]
    [InlineData("I'm the owner")]
    [InlineData("I talked to someone last week")]
    [InlineData("call me tomorrow at 3")]
    [InlineData("My agent said to call you")]
    [InlineData("I can't complain")]
    [InlineData("no cost to me right?")]
    [InlineData("I'm a human being, yes")]
    [InlineData("Who is this?")]
    [InlineData("tell me more")]
    [InlineData("The price is right")]
    [InlineData("What does the process look like?")]
    public void Near_misses_for_needs_human_are_not_handed_off(string text) =>
        Assert.NotEqual(AgentOutcome.NeedsHuman, Chat.Answer(text).Outcome);
}
