using Parley.Data;

namespace Parley.Agent;

/// <summary>Writes the AI activity log as part of the caller's unit of work.</summary>
public sealed class ActivityLog(ParleyDb db, TimeProvider time)
{
    public ActivityEntry Record(Guid tenantId, Guid? conversationId, ActivityKind kind, string detail, AgentOutcome? outcome = null, AgentUsage? usage = null,
        IReadOnlyList<ReplySource>? sources = null)
    {
        var entry = new ActivityEntry
        {
            TenantId = tenantId,
            ConversationId = conversationId,
            Kind = kind,
            Detail = detail.Length <= 1000 ? detail : detail[..1000],
            Outcome = outcome,
            Model = usage?.Model,
            LatencyMs = usage is null ? null : (int)Math.Round(usage.Latency.TotalMilliseconds),
            InputTokens = usage?.InputTokens,
            OutputTokens = usage?.OutputTokens,
            SourcesJson = sources is null ? null : ReplySources.Serialize(sources),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Activity.Add(entry);
        return entry;
    }
}
