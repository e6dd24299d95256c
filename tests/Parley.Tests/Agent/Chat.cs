using Parley.Agent;
using Parley.Agent.Rules;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>Builds agent contexts for the rules model tests: a fixed Saturday morning, a fixed business.</summary>
internal static class Chat
{
    /// <summary>Saturday 21 November 2026, 10:15 in the tenant's local time.</summary>
    public static readonly DateTime Now = new(2026, 11, 21, 10, 15, 0);

    public const string Business = "Acme Home Buyers";

    public const string AskedForTime = "Great! When is a good time for a quick call?";

    public const string Opener = "Hi Robert, this is Acme Home Buyers. Are you still thinking about selling your house?";

    public static AgentContext Context(
        IEnumerable<(Speaker From, string Text)> lines,
        string? contactFirstName = "Robert",
        string? clientFirstName = null,
        bool identityConfirmed = false,
        string business = Business,
        int replyLengthLimit = 160)
    {
        var at = Now.ToUniversalTime().AddHours(-1);
        var history = lines.Select((l, i) => new TranscriptLine(l.From, l.Text, at.AddMinutes(i))).ToList();
        return new AgentContext(
            business, "You are a friendly assistant.", null, history, contactFirstName, clientFirstName,
            identityConfirmed, [], Now, "America/New_York", replyLengthLimit);
    }

    /// <summary>The contact answers one agent message.</summary>
    public static AgentDecision Answer(string contactText, string agentText = Opener, string? contactFirstName = "Robert") =>
        RulesModel.Decide(Context([(Speaker.Agent, agentText), (Speaker.Contact, contactText)], contactFirstName));

    public static AgentDecision Decide(AgentContext context) => RulesModel.Decide(context);

    public static DateTime At(string local) => DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Telnyx's GSM-7 set (printable ASCII but the backtick, and a few accented letters); no control characters.</summary>
    public static bool IsGsm(char c) =>
        (c is >= ' ' and <= '~' && c != '`') || "£¥èéùìòØøÅåÆæßÉ¡ÄÖÑÜ¿äöñüà".Contains(c, StringComparison.Ordinal);

    /// <summary>Printable ASCII (a subset of GSM-7) and within one segment.</summary>
    public static void AssertSmsSafe(string? reply, int limit = 160)
    {
        Assert.NotNull(reply);
        Assert.NotEmpty(reply);
        Assert.True(reply.Length <= limit, $"{reply.Length} chars: {reply}");
        Assert.All(reply, c => Assert.True(c is >= ' ' and <= '~' && c != '`', $"'{c}' (U+{(int)c:X4}) in: {reply}"));
        Assert.DoesNotContain("**", reply, StringComparison.Ordinal);
    }
}
