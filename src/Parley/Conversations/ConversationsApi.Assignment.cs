using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Data;

namespace Parley.Conversations;

public static partial class ConversationsApi
{
    public sealed record AssigneeBody(Guid? UserId);

    /// <summary>Gives a conversation to a teammate, or to nobody; another business's user is not a teammate. The
    /// activity log records who assigned it to whom.</summary>
    internal static async Task<Results<Ok<ConversationView>, NotFound, ValidationProblem>> AssignAsync(
        Guid id, AssigneeBody body, ParleyDb db, ActivityLog log, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        string? email = null;
        if (body.UserId is { } userId)
        {
            email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
            if (email is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = ["No teammate of this business has that id."] });
            }
        }

        if (conversation.AssigneeUserId != body.UserId)
        {
            conversation.AssigneeUserId = body.UserId;
            var by = principal.FindFirstValue(ClaimTypes.NameIdentifier) is null ? "an API key" : principal.Identity?.Name ?? "a teammate";
            log.Record(conversation.TenantId, conversation.Id, ActivityKind.Assigned, email is null ? $"Unassigned by {by}." : $"Assigned to {email} by {by}.");
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(await ViewAsync(db, id, cancellationToken));
    }
}
