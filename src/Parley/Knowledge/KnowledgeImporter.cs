using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Knowledge.Import;

namespace Parley.Knowledge;

/// <summary>Turns an imported file or page into entries: the source is stored and its entries replaced, in one save.</summary>
public sealed class KnowledgeImporter(ParleyDb db, KnowledgeEmbeddings embeddings, TimeProvider time)
{
    /// <summary>Stores <paramref name="source"/> (new or already known) and replaces its entries with the
    /// document's passages, embedded. Nothing is written when the document cannot become entries.</summary>
    public async Task<IReadOnlyList<KnowledgeEntry>> ReplaceSourceAsync(KnowledgeSource source, ImportedDocument document, CancellationToken cancellationToken)
    {
        var passages = document.Passages.Where(p => !string.IsNullOrWhiteSpace(p.Text)).ToList();
        if (passages.Count == 0)
        {
            throw new KnowledgeImportException("The document holds no text to learn from.");
        }

        if (passages.Count > KnowledgeLimits.Default.MaxPassagesPerSource)
        {
            throw new KnowledgeImportException($"The document makes {passages.Count} passages; at most {KnowledgeLimits.Default.MaxPassagesPerSource} are accepted from one source.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entries = passages.Select(p => new KnowledgeEntry
        {
            Id = Guid.CreateVersion7(),
            TenantId = source.TenantId,
            SourceId = source.Id,
            Title = Clip(string.IsNullOrWhiteSpace(p.Title) ? document.Title : p.Title, KnowledgeLimits.MaxTitleLength),
            Heading = p.Heading is null ? null : Clip(p.Heading, KnowledgeLimits.MaxTitleLength),
            Text = Clip(p.Text, KnowledgeLimits.MaxTextLength),
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        }).ToList();
        await embeddings.EmbedAsync(entries, cancellationToken);

        var known = await db.KnowledgeSources.IgnoreQueryFilters().AnyAsync(s => s.Id == source.Id && s.TenantId == source.TenantId, cancellationToken);
        if (known)
        {
            var old = await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.SourceId == source.Id && e.TenantId == source.TenantId).ToListAsync(cancellationToken);
            db.KnowledgeEntries.RemoveRange(old);
            if (db.Entry(source).State == EntityState.Detached)
            {
                db.KnowledgeSources.Update(source);
            }
        }
        else
        {
            db.KnowledgeSources.Add(source);
        }

        db.KnowledgeEntries.AddRange(entries);
        await db.SaveChangesAsync(cancellationToken);
        return entries;
    }

    private static string Clip(string text, int length)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= length ? trimmed : trimmed[..length];
    }
}
