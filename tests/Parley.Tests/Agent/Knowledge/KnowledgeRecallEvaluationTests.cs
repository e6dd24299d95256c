using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Agent;
using Parley.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Parley.Tests.Agent.Knowledge;

/// <summary>
/// How well the agent answers a cash home buyer's FAQ, scored on texts it was never tuned on
/// (<see cref="CashBuyerHeldOut"/>), through the tester API with the rules model and the default retrieval.
/// Quoting another entry, or anything at all for a question outside the FAQ, is a failure; missing an answer
/// (deferring to the team) only lowers the share, which has a bar.
/// </summary>
public sealed class KnowledgeRecallEvaluationTests(ParleyApp app, ITestOutputHelper output) : IClassFixture<ParleyApp>
{
    /// <summary>The share of held-out questions answered from the right entry, set a little under what was
    /// measured (see the README) so that the test guards the figure rather than the exact count.</summary>
    private const double HeldOutRightAtLeast = 0.75;

    private static int numbers = 9100;

    private static readonly object[] Opener = [new { from = "agent", text = "Hi, this is Acme Home Buyers. Are you still thinking about selling your house?" }];

    [Fact]
    public async Task Held_out_questions_are_answered_from_the_right_entry_with_its_source_and_never_from_another()
    {
        var (tenant, knowledge) = await TenantAsync();
        var right = new Dictionary<string, int>();
        var wrong = new List<string>();
        var deferred = new List<string>();
        foreach (var (text, key) in CashBuyerHeldOut.Questions)
        {
            var answer = await AskAsync(tenant, text);
            var reply = ReplyOf(answer);
            var quoted = knowledge.QuotedBy(reply);
            Assert.Equal(quoted, knowledge.CitedBy(answer["sources"]));
            if (quoted == key)
            {
                right[key] = right.GetValueOrDefault(key) + 1;
                knowledge.AssertSources(answer["sources"], key);
            }
            else if (quoted is null)
            {
                deferred.Add($"  {key}: \"{text}\" -> {reply}");
            }
            else
            {
                wrong.Add($"  {key}: \"{text}\" -> quoted {quoted}");
            }
        }

        var total = right.Values.Sum();
        var asked = CashBuyerHeldOut.Questions.Length;
        var report = new StringBuilder("held-out questions, entry: right/asked\n");
        foreach (var group in CashBuyerHeldOut.Questions.GroupBy(q => q.Entry))
        {
            report.Append(CultureInfo.InvariantCulture, $"  {group.Key}: {right.GetValueOrDefault(group.Key)}/{group.Count()}\n");
        }

        report.Append(CultureInfo.InvariantCulture, $"{total}/{asked} right ({(double)total / asked:P0}), {wrong.Count} from another entry, {deferred.Count} deferred\n")
            .AppendJoin('\n', wrong.Concat(deferred));
        output.WriteLine(report.ToString());
        Assert.Empty(wrong);
        Assert.True(total >= asked * HeldOutRightAtLeast, report.ToString());
    }

    [Fact]
    public async Task Held_out_business_questions_the_faq_does_not_answer_are_deferred_and_left_as_gaps()
    {
        var (tenant, knowledge) = await TenantAsync();
        var failures = new List<string>();
        var handedOff = new List<string>();
        foreach (var text in CashBuyerHeldOut.Unknown)
        {
            var answer = await AskAsync(tenant, text);
            var reply = ReplyOf(answer);
            var nothingQuoted = knowledge.QuotedBy(reply) is null && answer["sources"]!.AsArray().Count == 0;

            // A hardship the safety check hears ("foreclosure") goes to a person instead: nothing quoted, nothing to fill in.
            var handOff = nothingQuoted && answer["outcome"]?.GetValue<string>() == "NeedsHuman";
            var deferred = nothingQuoted && answer["outcome"] is null && reply is not null && reply.Contains(SafetyReplies.Deferral, StringComparison.Ordinal);
            output.WriteLine($"{(deferred ? "deferred" : handOff ? "handoff " : "FAILED  ")} \"{text}\" -> {reply}");
            if (handOff)
            {
                handedOff.Add(text);
            }
            else if (!deferred)
            {
                failures.Add(text);
            }
        }

        var gaps = (await tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray().Select(g => g!["question"]!.GetValue<string>()).ToHashSet();
        var noGap = CashBuyerHeldOut.Unknown.Except(handedOff).Where(t => !gaps.Contains(t)).ToList();
        output.WriteLine($"{CashBuyerHeldOut.Unknown.Length - failures.Count - handedOff.Count}/{CashBuyerHeldOut.Unknown.Length} deferred, "
            + $"{handedOff.Count} handed to a person, {failures.Count} otherwise; {gaps.Count} gaps recorded");
        Assert.Empty(failures);
        Assert.Empty(noGap);
    }

    [Fact]
    public async Task Held_out_texts_about_something_else_quote_nothing()
    {
        var (tenant, knowledge) = await TenantAsync();
        var quoted = new List<string>();
        foreach (var text in CashBuyerHeldOut.OffTopic)
        {
            var answer = await AskAsync(tenant, text);
            var reply = ReplyOf(answer);
            output.WriteLine($"\"{text}\" -> {reply}");
            if (knowledge.QuotedBy(reply) is not null || answer["sources"]!.AsArray().Count > 0)
            {
                quoted.Add($"\"{text}\" -> {reply}");
            }
        }

        Assert.Empty(quoted);
    }

    private async Task<(TenantClient Tenant, KnowledgeSet Knowledge)> TenantAsync()
    {
        var tenant = await app.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref numbers):D4}", name: CashBuyerFaq.Business);
        return (tenant, await KnowledgeSet.CreateAsync(tenant));
    }

    private static async Task<JsonNode> AskAsync(TenantClient tenant, string text)
    {
        var session = await tenant.Http.PostJsonAsync("/api/tester/sessions", new { history = Opener });
        return await tenant.Http.PostJsonAsync($"/api/tester/sessions/{session["id"]!.GetValue<string>()}/messages", new { text });
    }

    private static string? ReplyOf(JsonNode answer) => answer["replies"]!.AsArray().Select(r => r!.GetValue<string>()).SingleOrDefault();
}
