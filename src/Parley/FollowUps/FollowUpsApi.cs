using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;

namespace Parley.FollowUps;

/// <summary>A conversation's follow-ups: what is scheduled (and what became of earlier ones), and cancelling one.</summary>
public static class FollowUpsApi
{
    /// <param name="Requested">the contact asked to be texted then ("text me next week")</param>
    public sealed record FollowUpView(Guid Id, string ContactNumber, int Step, bool Requested, FollowUpStatus Status, DateTime DueAt,
        string? CancelReason, DateTime? ResolvedAt);

    public static void MapFollowUpsApi(this RouteGroupBuilder api)
    {
        var followUps = api.MapGroup("/conversations/{id:guid}/follow-ups");
        followUps.MapGet("/", ListAsync).WithName("ListFollowUps").WithSummary("A conversation's follow-ups: scheduled, sent and cancelled, soonest due first.");
        followUps.MapPost("/{followUpId:guid}/cancel", CancelAsync).WithName("CancelFollowUp").WithSummary("Cancels a scheduled follow-up.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<List<FollowUpView>>, NotFound>> ListAsync(Guid id, ParleyDb db, CancellationToken cancellationToken)
    {
        if (!await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var rows = await db.FollowUps.AsNoTracking().Where(f => f.ConversationId == id).OrderBy(f => f.DueAtUtc).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    internal static async Task<Results<Ok<FollowUpView>, NotFound, ProblemHttpResult>> CancelAsync(
        Guid id, Guid followUpId, ClaimsPrincipal user, ParleyDb db, FollowUpScheduler scheduler, CancellationToken cancellationToken)
    {
        var followUp = await db.FollowUps.FirstOrDefaultAsync(f => f.Id == followUpId && f.ConversationId == id, cancellationToken);
        if (followUp is null)
        {
            return TypedResults.NotFound();
        }

        if (followUp.Status != FollowUpStatus.Scheduled)
        {
            return TypedResults.Problem(statusCode: 409, title: "Not scheduled", detail: $"This follow-up was already {followUp.Status.ToString().ToLowerInvariant()}.");
        }

        scheduler.Cancel(followUp.TenantId, followUp, $"cancelled by {ActingPerson.Of(user)}.");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(followUp));
    }

    private static FollowUpView View(FollowUp f) => new(f.Id, f.ContactNumber, f.Step, f.Requested, f.Status, f.DueAtUtc, f.CancelReason, f.ResolvedAtUtc);
}
