using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Work;

namespace Parley.Knowledge.Import;

/// <summary>Payload of a URL source's re-fetch.</summary>
public sealed record KnowledgeRefetchWork(Guid SourceId);

/// <summary>
/// Fetches a URL source again when it is due and replaces its entries when the page changed. A failed fetch
/// (page gone, refused, too large) keeps the entries the agent already has and records the reason on the
/// source; either way the next fetch is queued, so each URL source always has one pending re-fetch.
/// </summary>
public sealed partial class KnowledgeRefetcher(
    ParleyDb db,
    WebPageFetcher fetcher,
    KnowledgeImporter importer,
    WorkQueue work,
    KnowledgeLimits limits,
    TimeProvider time,
    ILogger<KnowledgeRefetcher> logger) : IWorkHandler
{
    /// <summary>One source's re-fetches run one at a time.</summary>
    public static readonly WorkKind<KnowledgeRefetchWork> Work = new("knowledge.refetch", (w, _) => $"knowledge-source:{w.SourceId:N}");

    /// <summary>Records a successful fetch on the source and sets when it is next due.</summary>
    public static void Fetched(KnowledgeSource source, FetchedPage page, DateTime now, KnowledgeLimits limits)
    {
        source.Name = KnowledgeImportApi.Clip(page.Document.Title, 300);
        source.ContentType = KnowledgeImportApi.Clip(page.ContentType, 200);
        source.ContentHash = page.ContentHash;
        source.FetchedAtUtc = now;
        source.NextFetchAtUtc = now + limits.RefetchInterval;
        source.LastError = null;
    }

    /// <summary>Queues the source's re-fetch at its <see cref="KnowledgeSource.NextFetchAtUtc"/>, or moves the pending one
    /// there; saved with the caller's changes.</summary>
    public static async Task ScheduleAsync(ParleyDb db, WorkQueue work, KnowledgeSource source, CancellationToken cancellationToken)
    {
        if (source.NextFetchAtUtc is not { } due)
        {
            return;
        }

        var payload = Work.Serialize(new KnowledgeRefetchWork(source.Id));
        var pending = await db.WorkItems.FirstOrDefaultAsync(w => w.Kind == Work.Name && w.Payload == payload && w.Status == WorkStatus.Pending, cancellationToken);
        if (pending is null)
        {
            work.Enqueue(Work, new KnowledgeRefetchWork(source.Id), source.TenantId, due);
        }
        else
        {
            pending.DueAtUtc = due;
        }
    }

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var sourceId = Work.Read(item).SourceId;
        var source = await db.KnowledgeSources.FirstOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
        if (source is not { Kind: KnowledgeSourceKind.Url, Url: { } address, NextFetchAtUtc: { } due })
        {
            return WorkResult.Done; // the source was removed or is no longer fetched
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (due > now)
        {
            work.Enqueue(Work, new KnowledgeRefetchWork(source.Id), source.TenantId, due);
            return WorkResult.Done;
        }

        FetchedPage page;
        try
        {
            page = await fetcher.FetchPageAsync(new Uri(address), cancellationToken);
        }
        catch (KnowledgeImportException ex)
        {
            LogRefetchFailed(logger, source.Id, ex.Failure);
            source.LastError = KnowledgeImportApi.Clip(ex.Message, 1000);
            source.NextFetchAtUtc = now + limits.RefetchInterval;
            work.Enqueue(Work, new KnowledgeRefetchWork(source.Id), source.TenantId, source.NextFetchAtUtc);
            return WorkResult.Done;
        }

        var changed = page.ContentHash != source.ContentHash;
        Fetched(source, page, now, limits);
        work.Enqueue(Work, new KnowledgeRefetchWork(source.Id), source.TenantId, source.NextFetchAtUtc);
        if (changed)
        {
            try
            {
                await importer.ReplaceSourceAsync(source, page.Document, cancellationToken);
            }
            catch (KnowledgeImportException ex)
            {
                source.LastError = KnowledgeImportApi.Clip(ex.Message, 1000);
            }
        }

        return WorkResult.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-fetch of knowledge source {SourceId} failed ({Failure}); its entries are kept")]
    private static partial void LogRefetchFailed(ILogger logger, Guid sourceId, KnowledgeImportFailure failure);
}
