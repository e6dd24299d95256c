using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Web;

/// <summary>How a teammate narrowed the inbox's list: carried in the links of the rows, so a conversation opened
/// from a filtered list (or from Needs Attention) still has that list beside it after a reload.</summary>
public sealed record InboxFilter(string? Search, DateTime? From, DateTime? To, string? Outcome, bool Mine, bool NeedsAttention)
{
    /// <summary>Whether the list is narrowed by a search or filter (an empty list then means "no match").</summary>
    public bool Filtered => !string.IsNullOrWhiteSpace(Search) || From is not null || To is not null || !string.IsNullOrEmpty(Outcome) || Mine;

    /// <summary>The filter as query values, without the empty ones.</summary>
    public Dictionary<string, string> Values(bool withAttention)
    {
        var values = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            values["search"] = Search;
        }

        if (From is { } from)
        {
            values["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (To is { } to)
        {
            values["to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrEmpty(Outcome))
        {
            values["outcome"] = Outcome;
        }

        if (Mine)
        {
            values["mine"] = "true";
        }

        if (withAttention && NeedsAttention)
        {
            values["attention"] = "true";
        }

        return values;
    }

    /// <summary>The list's own page: All or Needs Attention, with the same filter.</summary>
    public string ListUrl => (NeedsAttention ? "/needs-attention" : "/") + QueryString.Create(Values(false).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));

    /// <summary>A conversation's page with this list beside it.</summary>
    public string ConversationUrl(Guid id) => $"/conversations/{id}" + QueryString.Create(Values(true).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));

    public string ExportUrl
    {
        get
        {
            var values = Values(false);
            values.Remove("mine");
            if (NeedsAttention)
            {
                values["needsAttention"] = "true";
            }

            return "/api/conversations/export.csv" + QueryString.Create(values.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
        }
    }
}

/// <summary>The inbox's conversation list as one teammate sees it: the rows, their previews, what is unread for
/// them, and which one is open beside it.</summary>
public sealed class InboxList(InboxFilter filter, TimeZoneInfo zone, TimeProvider time, TimeSpan attentionSla)
{
    public InboxFilter Filter => filter;

    /// <summary>The conversation open beside the list, if any.</summary>
    public Guid? OpenId { get; init; }

    public IReadOnlyList<ConversationsApi.ConversationView> Rows { get; private set; } = [];

    /// <summary>Each listed conversation's latest text, as the row's preview.</summary>
    public IReadOnlyDictionary<Guid, string> LastTexts { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Conversations with a text from the contact the signed-in teammate has not opened since.</summary>
    public IReadOnlySet<Guid> Unread { get; private set; } = new HashSet<Guid>();

    public IReadOnlyDictionary<Guid, string> Teammates { get; private set; } = new Dictionary<Guid, string>();

    public TimeSpan AttentionSla => attentionSla;

    public string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("MMM d, h:mm tt", CultureInfo.InvariantCulture);

    public static string Preview(string text) => text.Length <= 90 ? text : text[..90].TrimEnd() + "…";

    /// <summary>How long a conversation in Needs Attention has waited since its last text, and whether that is past the SLA.</summary>
    public (string Waited, bool Overdue) Waiting(ConversationsApi.ConversationView row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var waited = time.GetUtcNow().UtcDateTime - row.LastMessageAt;
        var text = waited.TotalMinutes < 1 ? "just now"
            : waited.TotalHours < 1 ? $"{(int)waited.TotalMinutes} min"
            : waited.TotalDays < 1 ? $"{(int)waited.TotalHours} h {waited.Minutes} min"
            : $"{(int)waited.TotalDays} d {waited.Hours} h";
        return (text, waited > attentionSla);
    }

    /// <summary>Loads the rows for the signed-in teammate (<paramref name="me"/>); a filter the API refuses goes to
    /// <paramref name="accept"/>, which shows the problem, and leaves the list empty.</summary>
    public async Task LoadAsync(ParleyDb db, Guid? me, Func<IResult, bool> accept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(accept);
        // The date filter is in the business's own days: from its local midnight to the end of the "to" day.
        // A day near either end of the calendar (?to=9999-12-31) has no UTC instant in every zone; it bounds nothing.
        DateTime? fromUtc = filter.From is { } f && InRange(f) ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(f.Date, DateTimeKind.Unspecified), zone) : null;
        DateTime? toUtc = filter.To is { } t && InRange(t) ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(t.Date.AddDays(1).AddTicks(-1), DateTimeKind.Unspecified), zone) : null;
        static bool InRange(DateTime day) => day.Year is > 1 and < 9999;
        // "Assigned to me" with no teammate signed in matches nobody rather than everyone.
        var assignee = filter.Mine ? me ?? Guid.Empty : (Guid?)null;
        var result = await ConversationsApi.ListAsync(db, filter.Search, filter.NeedsAttention ? true : null, fromUtc, toUtc, 200, cancellationToken,
            string.IsNullOrEmpty(filter.Outcome) ? null : filter.Outcome, assignee);
        if (!accept(result.Result) || result.Result is not Ok<List<ConversationsApi.ConversationView>> ok)
        {
            return;
        }

        // Needs Attention is a queue: whoever has waited longest comes first.
        Rows = filter.NeedsAttention ? [.. ok.Value!.OrderBy(r => r.LastMessageAt)] : ok.Value!;
        var ids = Rows.Select(r => r.Id).ToList();
        var latest = db.Messages.Where(m => ids.Contains(m.ConversationId)).GroupBy(m => m.ConversationId).Select(g => g.Max(m => m.Id));
        LastTexts = (await db.Messages.Where(m => latest.Contains(m.Id)).Select(m => new { m.ConversationId, m.Direction, m.IsAi, m.Text }).ToListAsync(cancellationToken))
            .ToDictionary(m => m.ConversationId, m => (m.Direction == MessageDirection.Inbound ? "" : m.IsAi ? "AI: " : "You: ") + Preview(m.Text));
        Unread = me is { } reader ? await ConversationReads.UnreadAsync(db, reader, ids, cancellationToken) : new HashSet<Guid>();
        Teammates = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
    }
}
