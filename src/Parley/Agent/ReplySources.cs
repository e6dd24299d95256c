using System.Text.Json;
using Parley.Knowledge;

namespace Parley.Agent;

/// <summary>A passage a reply stated facts from, as the reply carries it: the tester, the messages API, the
/// thread and the activity log show these.</summary>
public sealed record ReplySource(Guid Id, string Title);

/// <summary>Sources as stored beside a message or an activity entry: a small JSON array of <see cref="ReplySource"/>.</summary>
public static class ReplySources
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The cited passages, in the order the decision cited them; ids the context did not offer are dropped.</summary>
    public static IReadOnlyList<ReplySource> Of(AgentDecision decision, IReadOnlyList<KnowledgePassage> offered)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(offered);
        return [.. decision.Sources.Select(id => offered.FirstOrDefault(p => p.Id == id)).OfType<KnowledgePassage>().Select(p => new ReplySource(p.Id, p.Title))];
    }

    public static string? Serialize(IReadOnlyList<ReplySource> sources) =>
        sources is { Count: > 0 } ? JsonSerializer.Serialize(sources, Json) : null;

    public static IReadOnlyList<ReplySource> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<ReplySource>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
