using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class IndexModel(ParleyDb db, TimeProvider time, IOptions<InboxOptions> inbox) : DashboardPage(db)
{
    public sealed class StartForm
    {
        public string? To { get; set; }
        public string? ContactName { get; set; }
        public string? Company { get; set; }
        public string? Message { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    /// <summary>Qualification status: an outcome name, or "None".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Outcome { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    /// <summary>Only the conversations assigned to the signed-in teammate.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Mine { get; set; }

    [BindProperty]
    public StartForm Start { get; set; } = new();

    /// <summary>Conversations with a text from the contact the signed-in teammate has not opened since.</summary>
    public IReadOnlySet<Guid> Unread { get; private set; } = new HashSet<Guid>();

    public IReadOnlyDictionary<Guid, string> Teammates { get; private set; } = new Dictionary<Guid, string>();

    public bool NeedsAttention => HttpContext.Request.Path.StartsWithSegments("/needs-attention");

    public IReadOnlyList<ConversationsApi.ConversationView> Rows { get; private set; } = [];

    /// <summary>Each listed conversation's latest text, as the row's preview.</summary>
    public IReadOnlyDictionary<Guid, string> LastTexts { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>How long a conversation in Needs Attention has waited since its last text, and whether that is past the SLA.</summary>
    public (string Waited, bool Overdue) Waiting(ConversationsApi.ConversationView row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var waited = time.GetUtcNow().UtcDateTime - row.LastMessageAt;
        var text = waited.TotalMinutes < 1 ? "just now"
            : waited.TotalHours < 1 ? $"{(int)waited.TotalMinutes} min"
            : waited.TotalDays < 1 ? $"{(int)waited.TotalHours} h {waited.Minutes} min"
            : $"{(int)waited.TotalDays} d {waited.Hours} h";
        return (text, waited > inbox.Value.AttentionSla);
    }

    public TimeSpan AttentionSla => inbox.Value.AttentionSla;

    public static string Preview(string text) => text.Length <= 90 ? text : text[..90].TrimEnd() + "…";

    /// <summary>Whether the list is narrowed by a search or filter (an empty list then means "no match").</summary>
    public bool Filtered => !string.IsNullOrWhiteSpace(Search) || From is not null || To is not null || !string.IsNullOrEmpty(Outcome) || Mine;

    public string ExportUrl => "/api/conversations/export.csv" + QueryString.Create(new Dictionary<string, string?>
    {
        ["search"] = string.IsNullOrWhiteSpace(Search) ? null : Search,
        ["outcome"] = string.IsNullOrEmpty(Outcome) ? null : Outcome,
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["needsAttention"] = NeedsAttention ? "true" : null,
    }.Where(p => p.Value is not null));

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostStartAsync([FromServices] TenantScope scope, [FromServices] ConversationFinder finder,
        [FromServices] OutboundMessages outbound, CancellationToken cancellationToken)
    {
        var result = await ConversationsApi.StartAsync(new ConversationsApi.StartConversation(Start.To, Start.ContactName, Start.Company, Start.Message),
            Db, scope, finder, outbound, cancellationToken);
        if (Accept(result.Result, nameof(Start)) && result.Result is Created<ConversationsApi.ConversationView> created)
        {
            return Redirect($"/conversations/{created.Value!.Id}");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        // The date filter is in the business's own days: from its local midnight to the end of the "to" day.
        // A day near either end of the calendar (?to=9999-12-31) has no UTC instant in every zone; it bounds nothing.
        DateTime? fromUtc = From is { } f && InRange(f) ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(f.Date, DateTimeKind.Unspecified), Zone) : null;
        DateTime? toUtc = To is { } t && InRange(t) ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(t.Date.AddDays(1).AddTicks(-1), DateTimeKind.Unspecified), Zone) : null;
        static bool InRange(DateTime day) => day.Year is > 1 and < 9999;
        // "Assigned to me" with no teammate signed in matches nobody rather than everyone.
        var assignee = Mine ? CurrentUserId ?? Guid.Empty : (Guid?)null;
        var result = await ConversationsApi.ListAsync(Db, Search, NeedsAttention ? true : null, fromUtc, toUtc, 200, cancellationToken, string.IsNullOrEmpty(Outcome) ? null : Outcome,
            assignee);
        if (Accept(result.Result) && result.Result is Ok<List<ConversationsApi.ConversationView>> ok)
        {
            // Needs Attention is a queue: whoever has waited longest comes first.
            Rows = NeedsAttention ? [.. ok.Value!.OrderBy(r => r.LastMessageAt)] : ok.Value!;
            var ids = Rows.Select(r => r.Id).ToList();
            var latest = Db.Messages.Where(m => ids.Contains(m.ConversationId)).GroupBy(m => m.ConversationId).Select(g => g.Max(m => m.Id));
            LastTexts = (await Db.Messages.Where(m => latest.Contains(m.Id)).Select(m => new { m.ConversationId, m.Direction, m.IsAi, m.Text }).ToListAsync(cancellationToken))
                .ToDictionary(m => m.ConversationId, m => (m.Direction == MessageDirection.Inbound ? "" : m.IsAi ? "AI: " : "You: ") + Preview(m.Text));
            Unread = CurrentUserId is { } me ? await ConversationReads.UnreadAsync(Db, me, ids, cancellationToken) : new HashSet<Guid>();
            Teammates = await TeammatesAsync(cancellationToken);
        }
    }
}
