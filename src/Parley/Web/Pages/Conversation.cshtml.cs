using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Conversations;
using Parley.Data;
using Parley.FollowUps;

namespace Parley.Web.Pages;

public sealed class ConversationModel(ParleyDb db, ActivityLog log, ReplyDrafts drafts, FollowUpScheduler followUps, TimeProvider time, IOptions<InboxOptions> inbox)
    : DashboardPage(db)
{
    // The filter of the list shown beside the thread, carried in the thread's links and forms so it survives them.
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Outcome { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Mine { get; set; }

    /// <summary>The list beside the thread is Needs Attention rather than All.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Attention { get; set; }

    public InboxFilter Filter => new(Search, From, To, Outcome, Mine, Attention);

    /// <summary>The list beside the thread; null when only a part of the thread was asked for (a live refresh, or
    /// the thread opened into the pane), which does not show it.</summary>
    public InboxList? List { get; private set; }

    public IReadOnlyDictionary<Guid, string> Teammates { get; private set; } = new Dictionary<Guid, string>();

    public ConversationsApi.ConversationView View { get; private set; } = null!;

    public IReadOnlyList<Message> Messages { get; private set; } = [];

    /// <summary>Follow-ups waiting to go out if the contact stays quiet.</summary>
    public IReadOnlyList<FollowUp> ScheduledFollowUps { get; private set; } = [];

    /// <summary>The calls booked in this conversation, soonest first, whatever became of them.</summary>
    public IReadOnlyList<Callback> Bookings { get; private set; } = [];

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Guide { get; set; }

    /// <summary>The draft as a person edited it before sending.</summary>
    [BindProperty]
    public string? DraftText { get; set; }

    /// <summary>The conversation's own mode, or empty to follow its agent.</summary>
    [BindProperty]
    public AiMode? Mode { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        // Opening the thread (or its live refresh while it is open) is reading it, for this teammate only.
        if (CurrentUserId is { } me)
        {
            await ConversationReads.MarkReadAsync(Db, Tenant.Id, id, me, time.GetUtcNow().UtcDateTime, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid id, string? assignee, CancellationToken cancellationToken)
    {
        Guid? userId = null;
        if (!string.IsNullOrEmpty(assignee))
        {
            if (!Guid.TryParse(assignee, out var parsed))
            {
                return BadRequest();
            }

            userId = parsed;
        }

        var result = await ConversationsApi.AssignAsync(id, new ConversationsApi.AssigneeBody(userId), Db, log, User, cancellationToken);
        if (result.Result is NotFound)
        {
            return NotFound();
        }

        if (Accept(result.Result, "Assignee"))
        {
            return Back(id);
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync(Guid id, [FromServices] OutboundMessages outbound, CancellationToken cancellationToken)
    {
        var result = await ConversationsApi.SendAsync(id, new ConversationsApi.SendText(Text, null), Db, outbound, drafts, followUps, log, cancellationToken);
        if (result.Result is NotFound)
        {
            return NotFound();
        }

        if (Accept(result.Result, nameof(Text)))
        {
            return Back(id);
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostSendDraftAsync(Guid id, CancellationToken cancellationToken) => SendDraftAsync(id, null, cancellationToken);

    public Task<IActionResult> OnPostEditDraftAsync(Guid id, CancellationToken cancellationToken) => SendDraftAsync(id, DraftText ?? "", cancellationToken);

    public async Task<IActionResult> OnPostDiscardDraftAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await ConversationsApi.DiscardDraftAsync(id, User, Db, drafts, cancellationToken);
        return result.Result is NotFound ? NotFound() : await RedirectOrShowAsync(id, result.Result, cancellationToken);
    }

    public async Task<IActionResult> OnPostCancelFollowUpAsync(Guid id, Guid followUpId, CancellationToken cancellationToken)
    {
        var result = await FollowUpsApi.CancelAsync(id, followUpId, User, Db, followUps, cancellationToken);
        return result.Result is NotFound ? NotFound() : Back(id);
    }

    public async Task<IActionResult> OnPostModeAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var result = await ConversationsApi.SetModeAsync(id, new ConversationsApi.ModeBody(Mode), User, Db, log, cancellationToken);
        return result.Result is NotFound ? NotFound() : Back(id);
    }

    private async Task<IActionResult> SendDraftAsync(Guid id, string? edited, CancellationToken cancellationToken)
    {
        var result = await ConversationsApi.SendDraftAsync(id, new ConversationsApi.DraftSendBody(edited), User, Db, drafts, cancellationToken);
        return result.Result is NotFound ? NotFound() : await RedirectOrShowAsync(id, result.Result, cancellationToken);
    }

    /// <summary>Back to the thread when it worked; else the thread again with the problem beside the draft.</summary>
    private async Task<IActionResult> RedirectOrShowAsync(Guid id, IResult result, CancellationToken cancellationToken)
    {
        var problem = result switch
        {
            ValidationProblem v => string.Join(" ", v.ProblemDetails.Errors.SelectMany(e => e.Value)),
            ProblemHttpResult p => p.ProblemDetails.Detail ?? p.ProblemDetails.Title,
            _ => null,
        };
        if (problem is null)
        {
            return Back(id);
        }

        ModelState.AddModelError(nameof(DraftText), problem);
        var typed = DraftText;
        await LoadAsync(id, cancellationToken);
        DraftText = typed ?? DraftText;
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id, CancellationToken cancellationToken) => SetPausedAsync(id, null, true, cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken cancellationToken) => SetPausedAsync(id, null, false, cancellationToken);

    public Task<IActionResult> OnPostResumePhoneAsync(Guid id, string number, CancellationToken cancellationToken) => SetPausedAsync(id, number, false, cancellationToken);

    public async Task<IActionResult> OnPostGuideAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await ConversationsApi.SetGuideAsync(id, new ConversationsApi.GuideBody(Guide), Db, cancellationToken);
        if (result.Result is NotFound)
        {
            return NotFound();
        }

        if (Accept(result.Result, nameof(Guide)))
        {
            return Back(id);
        }

        var typed = Guide;
        await LoadAsync(id, cancellationToken);
        Guide = typed;
        return Page();
    }

    private async Task<IActionResult> SetPausedAsync(Guid id, string? number, bool paused, CancellationToken cancellationToken)
    {
        var result = await ConversationsApi.SetPausedAsync(id, number, paused, Db, log, followUps, cancellationToken);
        return result.Result is NotFound ? NotFound() : Back(id);
    }

    /// <summary>Back to the thread, with the same list beside it.</summary>
    private RedirectResult Back(Guid id) => Redirect(Filter.ConversationUrl(id));

    /// <summary>Whether this request shows the list: a whole page, or htmx refreshing the list itself.</summary>
    private bool ShowsList => Request.Headers["HX-Request"] != "true" || Request.Headers["HX-Target"] == "rows";

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await Db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return false;
        }

        await LoadTenantAsync(cancellationToken);
        View = await ConversationsApi.ViewAsync(Db, id, cancellationToken);
        ScheduledFollowUps = await Db.FollowUps.AsNoTracking().Where(f => f.ConversationId == id && f.Status == FollowUpStatus.Scheduled)
            .OrderBy(f => f.DueAtUtc).ToListAsync(cancellationToken);
        Bookings = await Db.Callbacks.AsNoTracking().Where(b => b.ConversationId == id).OrderBy(b => b.DueAtUtc).ToListAsync(cancellationToken);
        Messages = await Db.Messages.AsNoTracking().Where(m => m.ConversationId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        Guide ??= View.Guide;
        DraftText ??= View.Draft?.Text;
        Mode ??= View.Mode;
        Teammates = await TeammatesAsync(cancellationToken);
        if (ShowsList)
        {
            List = new InboxList(Filter, Zone, time, inbox.Value.AttentionSla) { OpenId = id };
            await List.LoadAsync(Db, CurrentUserId, result => Accept(result, "List"), cancellationToken);
        }

        return true;
    }
}
