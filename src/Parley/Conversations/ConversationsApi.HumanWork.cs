using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Data;
using Parley.FollowUps;

namespace Parley.Conversations;

/// <summary>The human work on a conversation: texting by hand, pausing and resuming the AI, the guide.</summary>
public static partial class ConversationsApi
{
    private static Task<Results<Ok<ConversationView>, NotFound>> PauseAiAsync(Guid id, ParleyDb db, ActivityLog log, FollowUpScheduler followUps, CancellationToken cancellationToken) =>
        SetPausedAsync(id, null, true, db, log, followUps, cancellationToken);

    private static Task<Results<Ok<ConversationView>, NotFound>> ResumeAiAsync(Guid id, ParleyDb db, ActivityLog log, FollowUpScheduler followUps, CancellationToken cancellationToken) =>
        SetPausedAsync(id, null, false, db, log, followUps, cancellationToken);

    private static Task<Results<Ok<ConversationView>, NotFound>> ResumePhoneAiAsync(Guid id, string number, ParleyDb db, ActivityLog log, FollowUpScheduler followUps, CancellationToken cancellationToken) =>
        SetPausedAsync(id, number, false, db, log, followUps, cancellationToken);

    /// <summary>A person at the business texts by hand. That pauses the AI on the conversation, so the agent
    /// never talks over a human.</summary>
    internal static async Task<Results<Created<MessageView>, NotFound, ValidationProblem, ProblemHttpResult>> SendAsync(
        Guid id, SendText body, ParleyDb db, OutboundMessages outbound, ReplyDrafts drafts, FollowUpScheduler followUps, ActivityLog log, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        if (OutboundMessages.Validate(body.Text) is { } error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [error] });
        }

        var number = body.Phone is null
            ? await db.Messages.Where(m => m.ConversationId == id).OrderByDescending(m => m.Id).Select(m => m.ContactNumber).FirstOrDefaultAsync(cancellationToken)
              ?? conversation.Phones.First().Number
            : conversation.Phones.FirstOrDefault(p => p.Number == body.Phone)?.Number;
        if (number is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["That number is not part of this conversation."] });
        }

        if (await db.ContactPhones.AnyAsync(p => p.Number == number && p.OptedOutAtUtc != null, cancellationToken))
        {
            return TypedResults.Problem(statusCode: 409, title: "Contact opted out", detail: "This number opted out of texts from this business; nothing was sent.");
        }

        if (!conversation.AiPaused)
        {
            conversation.AiPaused = true;
            log.Record(conversation.TenantId, conversation.Id, ActivityKind.Paused, "AI paused: a person replied by hand.");
        }

        conversation.UnansweredQuestionAtUtc = null;
        await drafts.DiscardStaleAsync(conversation, "a person replied by hand.", cancellationToken);
        await followUps.CancelAsync(conversation.TenantId, conversation.Id, "a person replied by hand.", cancellationToken);
        var message = outbound.Queue(conversation, number, body.Text!, MessageAuthor.Human);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/conversations/{id}/messages/{message.Id}", View(message));
    }

    /// <summary>Pause, or resume: resuming makes the AI active at once and forgets the old turns and outcome,
    /// so an earlier hand-off does not fire again.</summary>
    internal static async Task<Results<Ok<ConversationView>, NotFound>> SetPausedAsync(Guid id, string? number, bool paused, ParleyDb db, ActivityLog log, FollowUpScheduler followUps, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        var phones = conversation?.Phones.Where(p => number is null || p.Number == number || p.Number == "+" + number.TrimStart('+', ' ')).ToList();
        if (conversation is null || phones is not { Count: > 0 })
        {
            return TypedResults.NotFound();
        }

        if (paused)
        {
            conversation.AiPaused = true;
            log.Record(conversation.TenantId, conversation.Id, ActivityKind.Paused, "AI paused by a person.");
            await followUps.CancelAsync(conversation.TenantId, conversation.Id, "the AI was paused.", cancellationToken);
        }
        else
        {
            foreach (var phone in phones)
            {
                phone.AiPaused = false;
                phone.Turns = 0;
                phone.Outcome = null;
            }

            if (number is null || conversation.Phones.All(p => p.Outcome is null))
            {
                conversation.AiPaused = false;
                conversation.UnansweredQuestionAtUtc = null;
                conversation.Outcome = null;
                conversation.Turns = 0;
            }

            log.Record(conversation.TenantId, conversation.Id, ActivityKind.Resumed,
                number is null ? "AI resumed: turns reset, outcome cleared." : $"AI resumed for {string.Join(", ", phones.Select(p => p.Number))}: turns reset, outcome cleared.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, id, cancellationToken));
    }

    internal static async Task<Results<Ok<ConversationView>, NotFound, ValidationProblem>> SetGuideAsync(Guid id, GuideBody body, ParleyDb db, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        if (body.Guide is { Length: > 4000 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["guide"] = ["The guide is at most 4,000 characters."] });
        }

        conversation.Guide = string.IsNullOrWhiteSpace(body.Guide) ? null : body.Guide.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, id, cancellationToken));
    }
}
