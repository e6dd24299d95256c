using System.Net.Http.Json;
using Parley.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Tests.Knowledge;

/// <summary>Texted questions to a cash home buyer find the FAQ entry that answers them, through the search API
/// the agent's retrieval sits behind; texts the FAQ does not cover find nothing.</summary>
public sealed class KnowledgeRetrievalTests(ParleyApp app, ITestOutputHelper output) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Texted_questions_find_the_entry_that_answers_them_and_off_topic_texts_find_nothing()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550801", name: "Maple Key Home Buyers");
        var ids = new Dictionary<string, string>();
        foreach (var entry in CashBuyerFaq.Entries)
        {
            var created = await tenant.Http.PostJsonAsync("/api/knowledge", new { title = entry.Title, text = entry.Text, questions = entry.Questions });
            ids[created["id"]!.GetValue<string>()] = entry.Key;
        }

        var asked = 0;
        var misses = new List<string>();
        var wrong = new List<string>();
        foreach (var entry in CashBuyerFaq.Entries)
        {
            foreach (var text in entry.Texts)
            {
                asked++;
                var passages = await SearchAsync(tenant, text);
                var first = passages.Count == 0 ? "nothing" : ids[passages[0].Id];
                output.WriteLine($"{entry.Key,-8} {(first == entry.Key ? "ok  " : "MISS")} {first,-8} {(passages.Count == 0 ? 0 : passages[0].Score):F3}  {text}");
                if (first != entry.Key)
                {
                    misses.Add($"{text} → {first}");
                }

                if (first != entry.Key && first != "nothing")
                {
                    wrong.Add($"{text} → {first}");
                }
            }
        }

        var wrongly = new List<string>();
        foreach (var text in CashBuyerFaq.OffTopic)
        {
            var passages = await SearchAsync(tenant, text);
            output.WriteLine($"offtopic {(passages.Count == 0 ? "ok  " : "MISS")} {(passages.Count == 0 ? "nothing" : ids[passages[0].Id]),-8} {(passages.Count == 0 ? 0 : passages[0].Score):F3}  {text}");
            if (passages.Count > 0)
            {
                wrongly.Add($"{text} → {ids[passages[0].Id]}");
            }
        }

        var hitRate = (double)(asked - misses.Count) / asked;
        output.WriteLine($"hit rate {hitRate:P1} of {asked}; off-topic matched {wrongly.Count} of {CashBuyerFaq.OffTopic.Length}");
        // A wrong passage is worse than none (the agent would state it): a passage is offered only when it leads the
        // others clearly and holds what a "do you buy X" names, which costs a few paraphrases and keeps neighbouring
        // subjects ("rent to own" beside "rental properties with tenants") from being answered as the same question.
        Assert.True(hitRate >= 0.9, $"Hit rate {hitRate:P1}; missed: {string.Join("; ", misses)}");

        // One text leans on a word of another entry: "its a mess needs new kitchen n bathroom" is closest to "no need
        // to clean or empty the house". It asks nothing, so the rules model does not quote it; a second would be news.
        Assert.True(wrong.Count <= 1, $"Another entry first: {string.Join("; ", wrong)}");
        Assert.Empty(wrongly);
    }

    private static async Task<List<Passage>> SearchAsync(TenantClient tenant, string text)
    {
        var result = await tenant.Http.GetFromJsonAsync<SearchResult>($"/api/knowledge/search?q={Uri.EscapeDataString(text)}");
        return result!.Passages;
    }

    private sealed record Passage(string Id, string Title, double Score);

    private sealed record SearchResult(string Query, List<Passage> Passages);
}
