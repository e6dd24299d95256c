using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;
using Parley.Knowledge;
using Parley.Knowledge.Import;
using Parley.Work;

namespace Parley.Web.Pages;

/// <summary>The tenant's knowledge: entries, imported files and pages, trying a question, and the questions nobody answered yet.</summary>
public sealed class KnowledgeModel(ParleyDb db, TenantScope scope, KnowledgeEmbeddings embeddings, TimeProvider time) : DashboardPage(db)
{
    public sealed class EntryForm
    {
        public string? Title { get; set; }
        public string? Text { get; set; }

        /// <summary>The ways people ask, one per line.</summary>
        public string? Questions { get; set; }
    }

    [BindProperty]
    public EntryForm Entry { get; set; } = new();

    /// <summary>The entry being edited; null when the form adds one.</summary>
    [BindProperty(SupportsGet = true, Name = "edit")]
    public Guid? EditId { get; set; }

    [BindProperty]
    public string? PageAddress { get; set; }

    [BindProperty]
    public string? AnswerText { get; set; }

    /// <summary>The gap whose answer form failed, so its message shows next to it.</summary>
    public Guid? AnsweringGapId { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public KnowledgeApi.SearchView? Search { get; private set; }

    public IReadOnlyList<KnowledgeApi.KnowledgeEntryView> Entries { get; private set; } = [];

    public IReadOnlyList<KnowledgeImportApi.SourceView> Sources { get; private set; } = [];

    public IReadOnlyList<KnowledgeGapsApi.GapView> Gaps { get; private set; } = [];

    public string? Done { get; private set; }

    public string SourceName(Guid? sourceId) =>
        sourceId is null ? "Typed in" : Sources.FirstOrDefault(s => s.Id == sourceId) is { } s ? s.Name is { Length: > 0 } name ? name : s.Url ?? "Imported" : "Imported";

    public static string Excerpt(string text) => text.Length <= 220 ? text : text[..220].TrimEnd() + "…";

    /// <summary>The messages recorded for a form: under its own name or any of its fields (keys compare without case).</summary>
    public async Task<IActionResult> OnGetAsync([FromServices] IKnowledgeRetriever retriever, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Done = TempData["Done"] as string;
        if (EditId is { } id)
        {
            if (Entries.FirstOrDefault(e => e.Id == id) is not { } entry)
            {
                return NotFound();
            }

            Entry = new EntryForm { Title = entry.Title, Text = entry.Text, Questions = string.Join('\n', entry.Questions) };
        }

        if (Q is not null)
        {
            var result = await KnowledgeApi.SearchAsync(Q, null, null, scope, retriever, cancellationToken);
            if (result.Result is Ok<KnowledgeApi.SearchView> { Value: { } search })
            {
                Search = search;
            }
            else
            {
                Accept(result.Result);
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await KnowledgeApi.CreateAsync(Body(), Db, scope, embeddings, time, cancellationToken);
        return await AfterAsync(result.Result, nameof(Entry), $"Added “{Entry.Title?.Trim()}”.", cancellationToken);
    }

    public async Task<IActionResult> OnPostEditAsync(Guid id, CancellationToken cancellationToken)
    {
        EditId = id;
        var result = await KnowledgeApi.UpdateAsync(id, Body(), Db, embeddings, time, cancellationToken);
        return await AfterAsync(result.Result, nameof(Entry), $"Saved “{Entry.Title?.Trim()}”.", cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await KnowledgeApi.DeleteAsync(id, Db, cancellationToken);
        return await AfterAsync(result.Result, "Delete", "Deleted the entry; the agent no longer uses it.", cancellationToken);
    }

    public async Task<IActionResult> OnPostUploadAsync([FromServices] KnowledgeImporter importer, [FromServices] KnowledgeLimits limits, CancellationToken cancellationToken)
    {
        var result = await KnowledgeImportApi.UploadAsync(Request, importer, scope, limits, time, cancellationToken);
        var done = result.Result is Created<List<KnowledgeImportApi.SourceView>> { Value: { } sources }
            ? $"Imported {string.Join(", ", sources.Select(s => $"{s.Name} ({s.EntryCount} {(s.EntryCount == 1 ? "entry" : "entries")})"))}."
            : "";
        return await AfterAsync(result.Result, "Upload", done, cancellationToken);
    }

    public async Task<IActionResult> OnPostUrlAsync(
        [FromServices] WebPageFetcher fetcher, [FromServices] KnowledgeImporter importer, [FromServices] WorkQueue work, [FromServices] KnowledgeLimits limits,
        CancellationToken cancellationToken)
    {
        var result = await KnowledgeImportApi.AddUrlAsync(new KnowledgeImportApi.UrlBody(PageAddress), Db, fetcher, importer, work, scope, limits, time, cancellationToken);
        var done = result.Result is Created<KnowledgeImportApi.SourceView> { Value: { } source } ? $"Imported {source.Name} ({source.EntryCount} entries)." : "";
        return await AfterAsync(result.Result, nameof(PageAddress), done, cancellationToken);
    }

    public async Task<IActionResult> OnPostAnswerAsync(Guid gapId, CancellationToken cancellationToken)
    {
        AnsweringGapId = gapId;
        var result = await KnowledgeGapsApi.AnswerAsync(gapId, new KnowledgeGapsApi.AnswerBody(AnswerText, null, null, null), Db, embeddings, time, cancellationToken);
        return await AfterAsync(result.Result, nameof(AnswerText), "Answered: the agent now uses your answer for that question.", cancellationToken);
    }

    private KnowledgeApi.KnowledgeBody Body() => new(
        Entry.Title,
        Entry.Text,
        (Entry.Questions ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
        null);

    /// <summary>Back to the page on success; otherwise the same page with the handler's messages next to its form.</summary>
    private async Task<IActionResult> AfterAsync(IResult result, string prefix, string done, CancellationToken cancellationToken)
    {
        if (Accept(result, prefix))
        {
            TempData["Done"] = done;
            return Redirect("/knowledge");
        }

        // What the failed handler may have staged is not kept.
        Db.ChangeTracker.Clear();
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Entries = (await KnowledgeApi.ListAsync(Db, cancellationToken)).Value ?? [];
        Sources = (await KnowledgeImportApi.ListSourcesAsync(Db, cancellationToken)).Value ?? [];
        Gaps = (await KnowledgeGapsApi.ListAsync(false, Db, cancellationToken)).Value ?? [];
    }
}
