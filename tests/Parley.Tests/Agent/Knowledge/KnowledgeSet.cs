using System.Text.Json.Nodes;
using Parley.Tests.Infrastructure;
using Xunit;

namespace Parley.Tests.Agent.Knowledge;

/// <summary>A tenant's FAQ created through the real <c>/api/knowledge</c> API, and what a reply quoting it looks like.</summary>
internal sealed record KnowledgeSet(IReadOnlyDictionary<string, (string Id, CashBuyerFaq.Entry Entry)> Entries)
{
    public static async Task<KnowledgeSet> CreateAsync(TenantClient tenant)
    {
        var entries = new Dictionary<string, (string, CashBuyerFaq.Entry)>();
        foreach (var entry in CashBuyerFaq.Entries)
        {
            var created = await tenant.Http.PostJsonAsync("/api/knowledge", new { title = entry.Title, text = entry.Text, questions = entry.Questions });
            entries[entry.Key] = (created["id"]!.GetValue<string>(), entry);
        }

        return new KnowledgeSet(entries);
    }

    /// <summary>The entry's first sentence: every answer from it quotes at least that, word for word.</summary>
    public static string FirstSentence(CashBuyerFaq.Entry entry) => entry.Text[..(entry.Text.IndexOf(". ", StringComparison.Ordinal) + 1)];

    /// <summary>Which entry a reply quotes, by its first sentence; null when it quotes none.</summary>
    public string? QuotedBy(string? reply) =>
        reply is null ? null : Entries.Values.FirstOrDefault(e => reply.Contains(FirstSentence(e.Entry), StringComparison.Ordinal)).Entry?.Key;

    /// <summary>Asserts the sources name exactly this entry, by id and title.</summary>
    public void AssertSources(JsonNode? sources, string key)
    {
        var (id, entry) = Entries[key];
        var source = Assert.Single(sources!.AsArray());
        Assert.Equal(id, source!["id"]!.GetValue<string>());
        Assert.Equal(entry.Title, source["title"]!.GetValue<string>());
    }

    /// <summary>The cited entry's key, when the sources name exactly one of ours.</summary>
    public string? CitedBy(JsonNode? sources) =>
        sources?.AsArray() is [{ } only] ? Entries.FirstOrDefault(e => e.Value.Id == only["id"]!.GetValue<string>()).Key : null;
}
