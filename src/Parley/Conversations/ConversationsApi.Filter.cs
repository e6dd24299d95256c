using Parley.Agent;
using Parley.Data;

namespace Parley.Conversations;

public static partial class ConversationsApi
{
    /// <summary>The conversations a list or an export shows: a search (<see cref="ConversationSearch"/>), whether they
    /// need attention, when their last message was, and their qualification status (an outcome's name, or "None"
    /// for conversations the agent is still working). Errors are per field, for a validation problem.</summary>
    internal static async Task<(IQueryable<Conversation> Query, Dictionary<string, string[]>? Errors)> FilterAsync(
        ParleyDb db, IQueryable<Conversation> query, string? search, bool? needsAttention, DateTime? from, DateTime? to, string? outcome,
        CancellationToken cancellationToken)
    {
        if (search is { Length: > 100 })
        {
            return (query, new Dictionary<string, string[]> { ["search"] = ["Search is at most 100 characters."] });
        }

        if (!string.IsNullOrWhiteSpace(search) && ConversationSearch.Refusal(search) is { } tooShort)
        {
            return (query, new Dictionary<string, string[]> { ["search"] = [tooShort] });
        }

        AgentOutcome? wanted = null;
        if (outcome is not null && !string.Equals(outcome, "None", StringComparison.OrdinalIgnoreCase))
        {
            if (!Enum.TryParse<AgentOutcome>(outcome, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return (query, new Dictionary<string, string[]>
                {
                    ["outcome"] = [$"'{outcome}' is not an outcome: use None, {string.Join(", ", Enum.GetNames<AgentOutcome>())}."],
                });
            }

            wanted = parsed;
        }

        if (outcome is not null)
        {
            query = wanted is { } o ? query.Where(c => c.Outcome == o) : query.Where(c => c.Outcome == null);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            query = await ConversationSearch.MatchingAsync(db, query, search, cancellationToken);
        }

        if (needsAttention is { } attention)
        {
            query = attention
                ? query.Where(c => (c.Outcome != null && AttentionOutcomes.Contains(c.Outcome.Value)) || c.ModelFailedAtUtc != null || c.UnansweredQuestionAtUtc != null)
                : query.Where(c => (c.Outcome == null || !AttentionOutcomes.Contains(c.Outcome.Value)) && c.ModelFailedAtUtc == null && c.UnansweredQuestionAtUtc == null);
        }

        if (from is { } since)
        {
            var sinceUtc = since.ToUniversalTime();
            query = query.Where(c => c.LastMessageAtUtc >= sinceUtc);
        }

        if (to is { } until)
        {
            var untilUtc = until.ToUniversalTime();
            query = query.Where(c => c.LastMessageAtUtc <= untilUtc);
        }

        return (query, null);
    }
}
