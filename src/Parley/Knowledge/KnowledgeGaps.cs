using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>Records the questions the knowledge could not answer, so that someone at the business can answer them once.</summary>
public sealed class KnowledgeGaps(ParleyDb db, SqliteWriteGate writeGate, TimeProvider time)
{
    /// <summary>Records a question the knowledge did not cover; the same words asked again count up the gap
    /// already there. Written at once and on its own, leaving the caller's unsaved changes alone.</summary>
    public async Task RecordAsync(Guid tenantId, Guid? conversationId, string question, CancellationToken cancellationToken)
    {
        var text = question.Trim();
        if (text.Length > KnowledgeLimits.MaxQuestionLength)
        {
            text = text[..KnowledgeLimits.MaxQuestionLength];
        }

        var key = Key(text);
        if (key.Length == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var id = Guid.CreateVersion7();

        // One statement on both providers: two turns asking at once cannot make two gaps or lose a count.
        Task<int> Upsert() => db.Database.ExecuteSqlAsync($"""
            INSERT INTO "KnowledgeGaps" ("Id", "TenantId", "ConversationId", "Question", "Key", "FirstAskedAtUtc", "LastAskedAtUtc", "Times")
            VALUES ({id}, {tenantId}, {conversationId}, {text}, {key}, {now}, {now}, 1)
            ON CONFLICT ("TenantId", "Key") DO UPDATE SET "Times" = "KnowledgeGaps"."Times" + 1, "LastAskedAtUtc" = excluded."LastAskedAtUtc",
                "ConversationId" = coalesce(excluded."ConversationId", "KnowledgeGaps"."ConversationId")
            """, cancellationToken);

        _ = db.Database.IsSqlite() && db.Database.CurrentTransaction is null
            ? await writeGate.RunAsync(Upsert, cancellationToken)
            : await Upsert();
    }

    /// <summary>The question folded: lower case, letters and digits only, single spaces.</summary>
    public static string Key(string question) => string.Join(' ', KnowledgeWords.Split(question));
}
