using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Agent;
using Parley.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Parley.Tests.Agent.Knowledge;

/// <summary>A cash home buyer's FAQ, and the texts sellers really send, through the tester API with the rules model.</summary>
public sealed class KnowledgeTesterScenarioTests(TelnyxApp fixture, ITestOutputHelper output) : IClassFixture<TelnyxApp>
{
    private static int numbers = 7000;

    private static readonly object[] Opener = [new { from = "agent", text = "Hi, this is Acme Home Buyers. Are you still thinking about selling your house?" }];

    private async Task<(TenantClient Tenant, KnowledgeSet Knowledge)> TenantAsync()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref numbers):D4}", name: CashBuyerFaq.Business);
        return (tenant, await KnowledgeSet.CreateAsync(tenant));
    }

    private static async Task<JsonNode> AskAsync(TenantClient tenant, string text)
    {
        var session = await tenant.Http.PostJsonAsync("/api/tester/sessions", new { history = Opener });
        return await tenant.Http.PostJsonAsync($"/api/tester/sessions/{session["id"]!.GetValue<string>()}/messages", new { text });
    }

    private static string? ReplyOf(JsonNode answer) => answer["replies"]!.AsArray().Select(r => r!.GetValue<string>()).SingleOrDefault();

    [Fact]
    public async Task Questions_phrased_unlike_the_entries_are_answered_with_the_right_entrys_words_and_sources()
    {
        var (tenant, knowledge) = await TenantAsync();
        var right = new Dictionary<string, int>();
        var wrong = new List<string>();
        var deferred = new List<string>();
        foreach (var (text, key) in CashBuyerFaq.Questions)
        {
            var answer = await AskAsync(tenant, text);
            var reply = ReplyOf(answer);
            Assert.NotNull(reply);
            Chat.AssertSmsSafe(reply);
            Assert.Null(answer["outcome"]);
            var quoted = knowledge.QuotedBy(reply);

            // Whatever it answered, the words and the sources agree: a quote always names its entry, and a cited
            // entry is always the one quoted; what it does not quote it defers, never invents.
            Assert.Equal(quoted, knowledge.CitedBy(answer["sources"]));
            if (quoted == key)
            {
                right[key] = right.GetValueOrDefault(key) + 1;
                knowledge.AssertSources(answer["sources"], key);
            }
            else if (quoted is null)
            {
                deferred.Add($"{key}: \"{text}\" -> not answered: {reply}");
            }
            else
            {
                wrong.Add($"{key}: \"{text}\" -> {quoted}");
            }
        }

        var report = new StringBuilder("entry: right/asked\n");
        foreach (var group in CashBuyerFaq.Questions.GroupBy(q => q.Entry))
        {
            report.Append(CultureInfo.InvariantCulture, $"{group.Key}: {right.GetValueOrDefault(group.Key)}/{group.Count()}\n");
        }

        var total = right.Values.Sum();
        report.Append(CultureInfo.InvariantCulture, $"{total}/{CashBuyerFaq.Questions.Length} right, {wrong.Count} another entry, {deferred.Count} not answered\n")
            .AppendJoin('\n', wrong.Concat(deferred));
        output.WriteLine(report.ToString());
        Assert.True(total >= CashBuyerFaq.Questions.Length * RightAtLeast, report.ToString());
        Assert.True(wrong.Count == 0, report.ToString());
    }

    /// <summary>The bar these phrasings (the ones retrieval was tuned on) hold; the held-out ones are scored in
    /// <see cref="KnowledgeRecallEvaluationTests"/>. See the README's figures.</summary>
    private const double RightAtLeast = 0.7;

    [Fact]
    public async Task Questions_outside_the_knowledge_get_no_invented_fact_the_deferral_and_a_gap()
    {
        var (tenant, knowledge) = await TenantAsync();
        var deferred = new List<string>();
        foreach (var text in CashBuyerFaq.Unknown)
        {
            var answer = await AskAsync(tenant, text);

            var reply = ReplyOf(answer);
            Assert.NotNull(reply);
            foreach (var fact in CashBuyerFaq.InventedFacts)
            {
                Assert.DoesNotContain(fact, reply, StringComparison.OrdinalIgnoreCase);
            }

            // The deferral with nothing cited: no entry's words, not even one that looks close ("we buy houses
            // as-is" for "do you buy commercial buildings").
            output.WriteLine($"\"{text}\" -> {reply}");
            Assert.Null(knowledge.QuotedBy(reply));
            Assert.Empty(answer["sources"]!.AsArray());
            Assert.Contains(SafetyReplies.Deferral, reply, StringComparison.Ordinal);
            deferred.Add(text);
        }

        var gaps = (await tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray().Select(g => g!["question"]!.GetValue<string>()).ToList();
        Assert.All(deferred, text => Assert.Contains(text, gaps));
    }

    [Theory]
    [InlineData("stop texting me, how much do you pay", "NotInterested", null)]
    [InlineData("pls take me off ur list. do you buy houses that need work?", "NotInterested", null)]
    [InlineData("my dad passed away last month, how fast can you close", "NeedsHuman", "I'm so sorry to hear that.")]
    [InlineData("can i talk to a real person about the fees", "NeedsHuman", "Got it, someone from")]
    public async Task Safety_outcomes_win_when_a_text_also_matches_the_knowledge(string text, string outcome, string? closing)
    {
        var (tenant, _) = await TenantAsync();

        var answer = await AskAsync(tenant, text);

        Assert.Equal(outcome, answer["outcome"]!.GetValue<string>());
        Assert.True(answer["paused"]!.GetValue<bool>());
        Assert.Empty(answer["sources"]!.AsArray());
        if (closing is null)
        {
            Assert.Empty(answer["replies"]!.AsArray());
        }
        else
        {
            Assert.StartsWith(closing, ReplyOf(answer), StringComparison.Ordinal);
        }

        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray());
    }

    [Fact]
    public async Task One_tenants_knowledge_never_answers_another_tenants_texter()
    {
        await TenantAsync();
        var other = await fixture.App.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref numbers):D4}", name: "Other Buyers");

        var answer = await AskAsync(other, "how fast can u close");

        Assert.Contains(SafetyReplies.Deferral, ReplyOf(answer), StringComparison.Ordinal);
        Assert.Empty(answer["sources"]!.AsArray());
    }
}
