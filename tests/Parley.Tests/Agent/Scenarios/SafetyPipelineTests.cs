using Parley.Tests.Infrastructure;
using Xunit;

namespace Parley.Tests.Agent.Scenarios;

/// <summary>The safety outcomes end to end: a signed Telnyx webhook in, what the contact receives, and what the
/// API then shows.</summary>
public sealed class SafetyPipelineTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 6000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task<AgentPipelineTests.Chat> ChatAsync() => new(await fixture.App.CreateTenantAsync(number: NextNumber()), NextNumber(), fixture);

    [Theory]
    [InlineData("pls take me off ur list")]
    [InlineData("stop texting me")]
    [InlineData("lose my number")]
    [InlineData("no me manden mensajes")]
    [InlineData("bórrenme de su lista")]
    [InlineData("STOP")]
    public async Task Every_opt_out_is_not_interested_and_silent(string text)
    {
        var chat = await ChatAsync();
        await chat.TextAsync("Hi");
        var sentBefore = chat.Sent;

        Assert.Null(await chat.TextAsync(text));

        var conversation = await chat.ConversationAsync();
        Assert.Equal("NotInterested", conversation["outcome"]!.GetValue<string>());
        Assert.False(conversation["needsAttention"]!.GetValue<bool>());
        Assert.True(conversation["aiPaused"]!.GetValue<bool>());
        var kinds = (await chat.ActivityAsync()).AsArray().Select(a => a!["kind"]!.GetValue<string>()).ToList();
        Assert.Contains("OptedOut", kinds);
        Assert.Contains("Outcome", kinds);
        Assert.Equal(sentBefore, chat.Sent);
    }

    [Theory]
    [InlineData("can i talk to a real person", "Got it, someone from")]
    [InlineData("are you a real person? I want a human", "Got it, someone from")]
    [InlineData("can a human call me back pls", "Got it, someone from")]
    [InlineData("my mother just passed away", "I'm so sorry to hear that.")]
    [InlineData("my lawyer will contact you", "I'm so sorry to hear that.")]
    public async Task A_stranger_asking_for_a_person_or_in_a_hard_moment_gets_the_closing_not_a_name_question(string text, string closing)
    {
        var chat = await ChatAsync();

        var reply = await chat.TextAsync(text);

        Assert.NotNull(reply);
        Assert.StartsWith(closing, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("Who am I speaking with", reply, StringComparison.Ordinal);
        var conversation = await chat.ConversationAsync();
        Assert.Equal("NeedsHuman", conversation["outcome"]!.GetValue<string>());
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("how did you get my number")]
    [InlineData("how much would you offer")]
    public async Task A_business_question_is_answered_and_not_escalated(string text)
    {
        var chat = await ChatAsync();

        var reply = await chat.TextAsync(text);

        Assert.NotNull(reply);
        Assert.StartsWith("Good question", reply, StringComparison.Ordinal);
        var conversation = await chat.ConversationAsync();
        Assert.False(conversation["needsAttention"]!.GetValue<bool>());
        Assert.Null(conversation["outcome"]?.GetValue<string>());
    }
}
