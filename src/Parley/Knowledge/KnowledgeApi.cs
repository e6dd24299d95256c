using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>The tenant's knowledge: entries typed in or imported, and what the agent would retrieve for a question.</summary>
public static class KnowledgeApi
{
    public sealed record KnowledgeBody(string? Title, string? Text, List<string>? Questions, List<Guid>? AssistantIds);

    public sealed record KnowledgeEntryView(Guid Id, string Title, string Text, IReadOnlyList<string> Questions, string? Heading, Guid? SourceId,
        IReadOnlyList<Guid> AssistantIds, DateTime CreatedAt, DateTime UpdatedAt);

    public sealed record SearchView(string Query, IReadOnlyList<KnowledgePassage> Passages);

    public static void MapKnowledgeApi(this RouteGroupBuilder api)
    {
        var knowledge = api.MapGroup("/knowledge");
        knowledge.MapGet("", ListAsync).WithName("ListKnowledge").WithSummary("The tenant's knowledge entries, newest first.");
        knowledge.MapPost("", CreateAsync).WithName("CreateKnowledgeEntry").WithSummary("Adds an entry: a passage the agent may quote and the ways people ask for it.");
        knowledge.MapGet("/{id:guid}", GetAsync).WithName("GetKnowledgeEntry").WithSummary("One knowledge entry.");
        knowledge.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateKnowledgeEntry").WithSummary("Replaces an entry's title, text, questions and assistants.");
        knowledge.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteKnowledgeEntry").WithSummary("Deletes an entry; the agent no longer uses it.");
        knowledge.MapGet("/search", SearchAsync).WithName("SearchKnowledge").WithSummary("The passages the agent would use for a question, with their scores; empty when nothing matches well enough.");
        knowledge.MapKnowledgeGapsApi();
    }

    public static KnowledgeEntryView View(KnowledgeEntry e) =>
        new(e.Id, e.Title, e.Text, e.Questions, e.Heading, e.SourceId, e.AssistantIds, e.CreatedAtUtc, e.UpdatedAtUtc);

    internal static async Task<Ok<List<KnowledgeEntryView>>> ListAsync(ParleyDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.KnowledgeEntries.AsNoTracking().OrderByDescending(e => e.CreatedAtUtc).ToListAsync(cancellationToken)).Select(View).ToList());

    private static async Task<Results<Ok<KnowledgeEntryView>, NotFound>> GetAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.KnowledgeEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is { } entry
            ? TypedResults.Ok(View(entry))
            : TypedResults.NotFound();

    internal static async Task<Results<Created<KnowledgeEntryView>, ValidationProblem>> CreateAsync(
        KnowledgeBody body, ParleyDb db, TenantScope scope, KnowledgeEmbeddings embeddings, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = await KnowledgeValidation.ValidateAsync(body, db, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = new KnowledgeEntry { Id = Guid.CreateVersion7(), TenantId = scope.TenantId(), Title = "", Text = "", CreatedAtUtc = now };
        await ApplyAsync(entry, body, embeddings, now, cancellationToken);
        db.KnowledgeEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/knowledge/{entry.Id}", View(entry));
    }

    internal static async Task<Results<Ok<KnowledgeEntryView>, NotFound, ValidationProblem>> UpdateAsync(
        Guid id, KnowledgeBody body, ParleyDb db, KnowledgeEmbeddings embeddings, TimeProvider time, CancellationToken cancellationToken)
    {
        var entry = await db.KnowledgeEntries.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return TypedResults.NotFound();
        }

        var errors = await KnowledgeValidation.ValidateAsync(body, db, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await ApplyAsync(entry, body, embeddings, time.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(entry));
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, ParleyDb db, CancellationToken cancellationToken)
    {
        var entry = await db.KnowledgeEntries.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return TypedResults.NotFound();
        }

        db.KnowledgeEntries.Remove(entry);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<SearchView>, ValidationProblem>> SearchAsync(
        [FromQuery] string? q, [FromQuery] Guid? assistantId, [FromQuery] int? limit, TenantScope scope, IKnowledgeRetriever retriever, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > KnowledgeLimits.MaxQuestionLength * 2)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = [$"A question of 1 to {KnowledgeLimits.MaxQuestionLength * 2} characters is required."] });
        }

        if (limit is < 1 or > 20)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["The limit is between 1 and 20."] });
        }

        var passages = await retriever.RetrieveAsync(scope.TenantId(), assistantId, q, limit ?? 5, cancellationToken);
        return TypedResults.Ok(new SearchView(q, passages));
    }

    /// <summary>Sets what the body says (already validated) and embeds the result.</summary>
    internal static async Task ApplyAsync(KnowledgeEntry entry, KnowledgeBody body, KnowledgeEmbeddings embeddings, DateTime now, CancellationToken cancellationToken)
    {
        entry.Title = body.Title!.Trim();
        entry.Text = body.Text!.Trim();
        entry.Questions = (body.Questions ?? []).Select(q => q.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        entry.AssistantIds = (body.AssistantIds ?? []).Distinct().ToList();
        entry.UpdatedAtUtc = now;
        await embeddings.EmbedAsync(entry, cancellationToken);
    }
}
