using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>The questions the agent could not answer from knowledge, and answering one of them.</summary>
public static class KnowledgeGapsApi
{
    public sealed record GapView(Guid Id, string Question, Guid? ConversationId, DateTime FirstAskedAt, DateTime LastAskedAt, int Times, Guid? AnsweredByEntryId);

    public sealed record AnswerBody(string? Text, string? Title, List<string>? Questions, List<Guid>? AssistantIds);

    public static void MapKnowledgeGapsApi(this RouteGroupBuilder knowledge)
    {
        knowledge.MapGet("/gaps", ListAsync).WithName("ListKnowledgeGaps").WithSummary("Questions the knowledge could not answer, most recently asked first; answered ones only when asked for.");
        knowledge.MapPost("/gaps/{id:guid}/answer", AnswerAsync).WithName("AnswerKnowledgeGap")
            .WithSummary("Answers a gap: creates an entry whose questions include the one asked, and marks the gap answered.");
        knowledge.MapDelete("/gaps/{id:guid}", DismissAsync).WithName("DismissKnowledgeGap").WithSummary("Dismisses a gap that needs no answer.");
    }

    private static GapView View(KnowledgeGap g) => new(g.Id, g.Question, g.ConversationId, g.FirstAskedAtUtc, g.LastAskedAtUtc, g.Times, g.AnsweredByEntryId);

    internal static async Task<Ok<List<GapView>>> ListAsync([FromQuery] bool? answered, ParleyDb db, CancellationToken cancellationToken)
    {
        var gaps = db.KnowledgeGaps.AsNoTracking();
        gaps = answered == true ? gaps : gaps.Where(g => g.AnsweredByEntryId == null);
        return TypedResults.Ok((await gaps.OrderByDescending(g => g.LastAskedAtUtc).Take(500).ToListAsync(cancellationToken)).Select(View).ToList());
    }

    internal static async Task<Results<Created<KnowledgeApi.KnowledgeEntryView>, NotFound, ValidationProblem>> AnswerAsync(
        Guid id, AnswerBody body, ParleyDb db, KnowledgeEmbeddings embeddings, TimeProvider time, CancellationToken cancellationToken)
    {
        var gap = await db.KnowledgeGaps.FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (gap is null)
        {
            return TypedResults.NotFound();
        }

        // The question asked is the first way of asking; a title defaults to it.
        var questions = (body.Questions ?? []).Prepend(gap.Question).ToList();
        var entryBody = new KnowledgeApi.KnowledgeBody(string.IsNullOrWhiteSpace(body.Title) ? Clip(gap.Question) : body.Title, body.Text, questions, body.AssistantIds);
        var errors = await KnowledgeValidation.ValidateAsync(entryBody, db, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = new KnowledgeEntry { Id = Guid.CreateVersion7(), TenantId = gap.TenantId, Title = "", Text = "", CreatedAtUtc = now };
        await KnowledgeApi.ApplyAsync(entry, entryBody, embeddings, now, cancellationToken);
        db.KnowledgeEntries.Add(entry);
        gap.AnsweredByEntryId = entry.Id;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/knowledge/{entry.Id}", KnowledgeApi.View(entry));
    }

    private static async Task<Results<NoContent, NotFound>> DismissAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.KnowledgeGaps.Where(g => g.Id == id).ExecuteDeleteAsync(cancellationToken) > 0 ? TypedResults.NoContent() : TypedResults.NotFound();

    private static string Clip(string question) => question.Length <= KnowledgeLimits.MaxTitleLength ? question : question[..KnowledgeLimits.MaxTitleLength];
}
