using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Conversations;

/// <summary>What the API shows of a conversation, its phones and its messages.</summary>
public static partial class ConversationsApi
{
    /// <param name="Type">The number's line type (Mobile, FixedLine, TollFree…); null for numbers stored before Parley kept it.</param>
    public sealed record PhoneView(string Number, bool AiPaused, AgentOutcome? Outcome, int Turns, bool OptedOut, PhoneType? Type,
        bool Undeliverable = false, string? UndeliverableReason = null, DateTime? UndeliverableAt = null);

    public sealed record ConversationView(
        Guid Id,
        ContactsApi.ContactView Contact,
        string TenantNumber,
        IReadOnlyList<PhoneView> Phones,
        AgentOutcome? Outcome,
        bool AiPaused,
        bool NeedsAttention,
        int Turns,
        int SkippedReplies,
        string? Notice,
        string? Guide,
        Guid? AssistantId,
        DateTime CreatedAt,
        DateTime LastMessageAt,
        Guid? AssigneeId,
        AiMode? Mode = null,
        AiMode EffectiveMode = AiMode.Autopilot,
        DraftView? Draft = null);

    /// <summary>The agent's reply waiting for a person (Suggest mode).</summary>
    public sealed record DraftView(Guid Id, string Text, string ContactNumber, DateTime CreatedAt, IReadOnlyList<ReplySource> Sources);

    /// <summary>Every assistant's mode, to tell a conversation's effective mode without a query per conversation.</summary>
    public sealed record AssistantModes(IReadOnlyDictionary<Guid, AiMode> ById, AiMode Default)
    {
        public static async Task<AssistantModes> LoadAsync(ParleyDb db, CancellationToken cancellationToken)
        {
            var all = await db.Assistants.AsNoTracking().OrderByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAtUtc)
                .Select(a => new { a.Id, a.Mode }).ToListAsync(cancellationToken);
            return new(all.ToDictionary(a => a.Id, a => a.Mode), all.Count > 0 ? all[0].Mode : AiMode.Autopilot);
        }

        public AiMode For(Conversation c) => c.Mode ?? (c.AssistantId is { } id && ById.TryGetValue(id, out var mode) ? mode : Default);
    }

    public sealed record MessageView(
        long Id,
        MessageDirection Direction,
        string Text,
        SmsEncoding Encoding,
        int Segments,
        MessageStatus Status,
        bool IsAi,
        MessageAuthor Author,
        string ContactNumber,
        string? ErrorCode,
        string? Error,
        DateTime CreatedAt,
        DateTime StatusAt,
        IReadOnlyList<ReplySource> Sources);

    /// <param name="m">a message; an AI reply's <c>sources</c> are the knowledge passages it stated facts from</param>
    public static MessageView View(Message m) => new(m.Id, m.Direction, m.Text, m.Encoding, m.Segments, m.Status, m.IsAi,
        m.Author, m.ContactNumber, m.ErrorCode, m.Error, m.CreatedAtUtc, m.StatusAtUtc, ReplySources.Parse(m.SourcesJson));

    public static async Task<ConversationView> ViewAsync(ParleyDb db, Guid id, CancellationToken cancellationToken) =>
        View(await WithDetails(db.Conversations).FirstAsync(x => x.Id == id, cancellationToken), await AssistantModes.LoadAsync(db, cancellationToken));

    private static IQueryable<Conversation> WithDetails(IQueryable<Conversation> query) =>
        query.AsNoTracking().AsSplitQuery().Include(x => x.Contact).ThenInclude(x => x.Phones).Include(x => x.Phones).Include(x => x.Draft);

    public static ConversationView View(Conversation c, AssistantModes modes)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(modes);
        var optedOut = c.Contact.Phones.Where(p => p.OptedOutAtUtc != null).Select(p => p.Number).ToHashSet();
        var types = c.Contact.Phones.ToDictionary(p => p.Number, p => p.Type);
        var undeliverable = c.Contact.Phones.Where(p => p.UndeliverableAtUtc != null).ToDictionary(p => p.Number);
        return new ConversationView(
            c.Id,
            ContactsApi.View(c.Contact),
            c.TenantNumber,
            c.Phones.OrderBy(p => p.Number).Select(p => new PhoneView(p.Number, p.AiPaused || c.AiPaused, p.Outcome, p.Turns, optedOut.Contains(p.Number), types.GetValueOrDefault(p.Number),
                undeliverable.ContainsKey(p.Number), undeliverable.GetValueOrDefault(p.Number)?.UndeliverableReason, undeliverable.GetValueOrDefault(p.Number)?.UndeliverableAtUtc)).ToList(),
            c.Outcome,
            c.AiPaused || c.Phones.All(p => p.AiPaused),
            (c.Outcome is { } outcome && AttentionOutcomes.Contains(outcome)) || c.ModelFailedAtUtc != null || c.UnansweredQuestionAtUtc != null,
            c.Turns,
            c.SkippedReplies,
            c.Notice,
            c.Guide,
            c.AssistantId,
            c.CreatedAtUtc,
            c.LastMessageAtUtc,
            c.AssigneeUserId,
            c.Mode,
            modes.For(c),
            c.Draft is { } d ? new DraftView(d.Id, d.Text, d.ContactNumber, d.CreatedAtUtc, ReplySources.Parse(d.SourcesJson)) : null);
    }
}
