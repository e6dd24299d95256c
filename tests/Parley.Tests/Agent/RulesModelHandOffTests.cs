using Parley.Agent;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>A texter who asks for a person — to talk, to call back, or instead of a bot — is handed to the
/// team (Needs Human, the short closing message), never booked an ordinary callback by the agent; a texter
/// who only asks for a call keeps the callback flow.</summary>
public sealed class RulesModelHandOffTests
{
    private const string HandOff = "Got it, someone from Acme Home Buyers will reach out to you shortly.";

    [Theory]
    [InlineData("can a human call me back pls")]
    [InlineData("Can a real person call me back?")]
    [InlineData("is this a bot? I want a real person")]
    [InlineData("is this a bot?? i want a real person")]
    [InlineData("r u a bot? get me a human")]
    [InlineData("are you a robot lol. real person please")]
    [InlineData("u a bot? real person pls")]
    [InlineData("lemme talk to a real person")]
    [InlineData("can i talk to an actual human being")]
    [InlineData("pls have a person call me")]
    [InlineData("have a real person call me back")]
    [InlineData("can someone call me back")]
    [InlineData("can somebody from your office call me")]
    [InlineData("i wanna talk to a person not a robot")]
    [InlineData("HUMAN PLEASE")]
    [InlineData("human pls")]
    [InlineData("talk to a human 👍")]
    [InlineData("id rather talk to a human")]
    [InlineData("I'd prefer to speak with a real person on the phone")]
    [InlineData("can your manager call me")]
    [InlineData("have ur manager call me back")]
    [InlineData("let me talk to ur manager")]
    [InlineData("can i speak w a rep")]
    [InlineData("i need an agent to call me")]
    [InlineData("get me an agent")]
    [InlineData("can a live agent call me")]
    [InlineData("can a rep give me a call")]
    [InlineData("I want a real person to call me")]
    [InlineData("i'd like a human to call me tomorrow at 3")]
    [InlineData("can a human call me tmrw at 3")]
    [InlineData("can someone real call me back")]
    [InlineData("have a person reach out to me")]
    [InlineData("is there someone i can talk to")]
    [InlineData("need to talk to a manager asap")]
    [InlineData("somebody call me pls")]
    [InlineData("connect me to someone")]
    [InlineData("want to talk to a real person 🙄")]
    [InlineData("stop the bot i want a person")]
    [InlineData("no more bots, a human call me")]
    [InlineData("Can I get a call from a real person")]
    [InlineData("can a person call me instead of texting")]
    [InlineData("i want to talk to somebody not a computer")]
    [InlineData("Could a human being give me a ring")]
    [InlineData("can an actual person text me back")]
    public void Asking_for_a_person_hands_off_instead_of_booking(string text)
    {
        var decision = Chat.Answer(text, Chat.AskedForTime);

        Assert.Equal(AgentOutcome.NeedsHuman, decision.Outcome);
        Assert.Equal(HandOff, decision.Reply);
        Assert.Null(decision.CallbackAtLocal);
    }

    [Theory]
    [InlineData("call me tomorrow at 3")]
    [InlineData("Call me Monday at 10am")]
    [InlineData("sure call me at 5")]
    [InlineData("ok you can call me after 6pm tomorrow")]
    [InlineData("give me a call at 4:15")]
    [InlineData("call me back tomorrow at 2")]
    public void Asking_only_for_a_call_at_a_time_books_it(string text)
    {
        var decision = Chat.Answer(text, Chat.AskedForTime);

        Assert.Equal(AgentOutcome.AppointmentScheduled, decision.Outcome);
        Assert.NotNull(decision.CallbackAtLocal);
    }

    [Theory]
    [InlineData("can you give me a call")]
    [InlineData("can u call me back")]
    [InlineData("call me back pls")]
    [InlineData("give me a ring")]
    [InlineData("could you call me sometime")]
    [InlineData("I work in human resources, call me")]
    [InlineData("I'm only human lol")]
    [InlineData("no humans were harmed lol")]
    [InlineData("is this a bot?")]
    [InlineData("are you human lol")]
    [InlineData("I talked to someone last week")]
    [InlineData("someone already called me")]
    [InlineData("I'm a people person haha")]
    [InlineData("a person came by the house yesterday")]
    [InlineData("human error, I meant tuesday")]
    [InlineData("my agent said to call you")]
    [InlineData("my wife is in HR, she handles this")]
    [InlineData("my brother is a real estate agent, can you call him")]
    public void Asking_for_a_call_without_a_person_is_not_handed_off(string text) =>
        Assert.NotEqual(AgentOutcome.NeedsHuman, Chat.Answer(text, Chat.AskedForTime).Outcome);
}
