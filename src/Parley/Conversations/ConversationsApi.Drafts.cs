using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;

namespace Parley.Conversations;

/// <summary>Suggest mode through the API: the conversation's mode, and a person sending or discarding the agent's draft.</summary>
public static partial class ConversationsApi
{
    /// <param name="Mode">Autopilot, Suggest or Off; null follows the conversation's agent</param>
    public sealed record ModeBody(AiMode? Mode);

    /// <param name="Text">the reply as a person edited it; absent sends the draft as written</param>
    public sealed record DraftSendBody(string? Text);

    internal static async Task<Results<Ok<ConversationView>, NotFound>> SetModeAsync(
        Guid id, ModeBody body, ClaimsPrincipal user, ParleyDb db, ActivityLog log, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        if (conversation.Mode != body.Mode)
        {
            conversation.Mode = body.Mode;
            log.Record(conversation.TenantId, conversation.Id, ActivityKind.ModeChanged,
                $"AI mode set to {body.Mode?.ToString() ?? "the agent's"} by {ActingPerson.Of(user)}.");
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(await ViewAsync(db, id, cancellationToken));
    }

    internal static async Task<Results<Created<MessageView>, NotFound, ValidationProblem, ProblemHttpResult>> SendDraftAsync(
        Guid id, DraftSendBody? body, ClaimsPrincipal user, ParleyDb db, ReplyDrafts drafts, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.Include(c => c.Phones).Include(c => c.Draft).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        if (body?.Text is { } edited && OutboundMessages.Validate(edited) is { } error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [error] });
        }

        var send = await drafts.SendAsync(conversation, body?.Text, ActingPerson.Of(user), cancellationToken);
        return send.Outcome switch
        {
            DraftSendOutcome.Sent => TypedResults.Created($"/api/conversations/{id}/messages", View(send.Message!)),
            DraftSendOutcome.OptedOut => TypedResults.Problem(statusCode: 409, title: "Contact opted out", detail: "This number opted out of texts from this business; nothing was sent."),
            DraftSendOutcome.WalletEmpty => TypedResults.Problem(statusCode: 402, title: "Wallet empty", detail: AgentGates.WalletEmpty),
            DraftSendOutcome.Changed => DraftGone("The draft was sent, discarded or replaced by a newer one meanwhile; nothing was sent."),
            _ => DraftGone("This conversation has no draft to send."),
        };
    }

    internal static async Task<Results<Ok<ConversationView>, NotFound, ProblemHttpResult>> DiscardDraftAsync(
        Guid id, ClaimsPrincipal user, ParleyDb db, ReplyDrafts drafts, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.Include(c => c.Draft).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        return await drafts.DiscardAsync(conversation, ActingPerson.Of(user), cancellationToken)
            ? TypedResults.Ok(await ViewAsync(db, id, cancellationToken))
            : DraftGone("This conversation has no draft to discard.");
    }

    private static ProblemHttpResult DraftGone(string detail) => TypedResults.Problem(statusCode: 409, title: "No draft", detail: detail);
}
