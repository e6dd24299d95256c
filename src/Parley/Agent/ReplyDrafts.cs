using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Agent;

/// <summary>What became of a person's send of a draft.</summary>
public enum DraftSendOutcome
{
    Sent,
    NoDraft,
    OptedOut,
    WalletEmpty,

    /// <summary>The draft was sent, discarded or replaced (a newer text came in) while this send was on its way.</summary>
    Changed,
}

/// <summary>What became of a person's send of a draft, and the text queued when it was sent.</summary>
public sealed record DraftSend(DraftSendOutcome Outcome, Message? Message);

/// <summary>
/// Suggest mode's drafts: the agent writes one for the contact's latest text; a person sends it (as the AI
/// reply it is: charged, counted as a turn, through the same outbox as every text) or discards it; a newer
/// text or a person's own reply makes it stale. A lead's opener drafted here goes out as it would in Autopilot:
/// the business's template, charged by its segments, not as an AI reply. Each step is written to the activity log, naming the person.
/// </summary>
public sealed class ReplyDrafts(ParleyDb db, OutboundMessages outbound, Wallet wallet, ActivityLog activity, TimeProvider time)
{
    /// <summary>The wallet line an AI reply sent from a draft is paid by, and its message carries.</summary>
    public static string ChargeKey(Guid draftId) => $"ai-reply:draft:{draftId}";

    /// <summary>The agent's reply to <paramref name="answered"/> waits for a person (the conversation's
    /// <see cref="Conversation.Draft"/> must be loaded). Added to the caller's unit of work.</summary>
    public void Write(Conversation conversation, Message answered, string text, IReadOnlyList<ReplySource> sources) =>
        Put(conversation, answered.ContactNumber, answered.Id, text, sources);

    /// <summary>The agent's opener to a new lead waits for a person: it answers no text (<see cref="ReplyDraft.AnsweredMessageId"/>
    /// is 0). Replaces any draft the conversation had; added to the caller's unit of work.</summary>
    public async Task WriteOpenerAsync(Conversation conversation, string contactNumber, string text, CancellationToken cancellationToken)
    {
        conversation.Draft ??= await db.ReplyDrafts.FirstOrDefaultAsync(d => d.ConversationId == conversation.Id, cancellationToken);
        Put(conversation, contactNumber, 0, text, []);
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Drafted, $"Opener for a new lead, for a person to send: {text}");
    }

    private void Put(Conversation conversation, string contactNumber, long answeredMessageId, string text, IReadOnlyList<ReplySource> sources)
    {
        var draft = conversation.Draft;
        if (draft is null)
        {
            draft = new ReplyDraft
            {
                Id = Guid.CreateVersion7(),
                TenantId = conversation.TenantId,
                ConversationId = conversation.Id,
                ContactNumber = contactNumber,
                Text = text,
            };
            conversation.Draft = draft;
            db.ReplyDrafts.Add(draft);
        }

        draft.ContactNumber = contactNumber;
        draft.Text = text;
        draft.AnsweredMessageId = answeredMessageId;
        draft.SourcesJson = ReplySources.Serialize(sources);
        draft.CreatedAtUtc = time.GetUtcNow().UtcDateTime;
    }

    /// <summary>Removes a draft nobody should send any more (a newer text, a person's own reply), in the
    /// caller's unit of work.</summary>
    public async Task DiscardStaleAsync(Conversation conversation, string why, CancellationToken cancellationToken)
    {
        var draft = conversation.Draft ?? await db.ReplyDrafts.FirstOrDefaultAsync(d => d.ConversationId == conversation.Id, cancellationToken);
        if (draft is null)
        {
            return;
        }

        db.ReplyDrafts.Remove(draft);
        conversation.Draft = null;
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.DraftDiscarded, $"Draft discarded: {why}");
    }

    /// <summary>A person sends the draft, as written or as edited (<paramref name="editedText"/>, already
    /// validated as SMS). The conversation is tracked with its phones and draft.</summary>
    public async Task<DraftSend> SendAsync(Conversation conversation, string? editedText, string person, CancellationToken cancellationToken)
    {
        if (conversation.Draft is not { } draft)
        {
            return new(DraftSendOutcome.NoDraft, null);
        }

        if (await db.ContactPhones.AnyAsync(p => p.Number == draft.ContactNumber && p.OptedOutAtUtc != null, cancellationToken))
        {
            return new(DraftSendOutcome.OptedOut, null);
        }

        // A lead's opener is the business's own template, not the model's reply: as in Autopilot it is charged
        // by its segments only and is not a turn.
        var opener = draft.AnsweredMessageId == 0;
        var key = ChargeKey(draft.Id);
        if (!opener && !await wallet.TryChargeAiReplyAsync(conversation.TenantId, key, cancellationToken))
        {
            return new(DraftSendOutcome.WalletEmpty, null);
        }

        var edited = editedText is not null && editedText != draft.Text;
        var text = edited ? editedText! : draft.Text;
        db.ReplyDrafts.Remove(draft);
        conversation.Draft = null;
        var message = outbound.Queue(conversation, draft.ContactNumber, text, MessageAuthor.Agent);
        message.ChargeKey = opener ? null : key;
        message.SourcesJson = edited ? null : draft.SourcesJson; // a person's words may not be the passages'
        if (!opener)
        {
            if (conversation.Phones.FirstOrDefault(p => p.Number == draft.ContactNumber) is { } phone)
            {
                phone.Turns++;
            }

            conversation.Turns++;
        }

        conversation.Notice = null;
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.DraftSent,
            edited ? $"Draft edited and sent by {person}: {text}" : $"Draft sent by {person}: {text}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new(DraftSendOutcome.Sent, message);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else sent or discarded it, or a newer text replaced it: this send never happened. The
            // charge is shared with a send of the same draft that did go out, else it is given back.
            db.ChangeTracker.Clear();
            if (!await db.Messages.AnyAsync(m => m.ChargeKey == key, cancellationToken))
            {
                await wallet.RefundAsync(conversation.TenantId, key, "AI draft not sent", cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            return new(DraftSendOutcome.Changed, null);
        }
    }

    /// <summary>A person throws the draft away. False when there was none (or it went meanwhile).</summary>
    public async Task<bool> DiscardAsync(Conversation conversation, string person, CancellationToken cancellationToken)
    {
        if (conversation.Draft is not { } draft)
        {
            return false;
        }

        db.ReplyDrafts.Remove(draft);
        conversation.Draft = null;
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.DraftDiscarded, $"Draft discarded by {person}: {draft.Text}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
