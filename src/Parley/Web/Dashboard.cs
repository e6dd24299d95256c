using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Web;

/// <summary>What every dashboard page shares: the signed-in tenant, its clock, and the Needs Attention count.</summary>
public abstract class DashboardPage(ParleyDb db) : PageModel
{
    protected ParleyDb Db => db;

    public Tenant Tenant { get; private set; } = null!;

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The signed-in teammate; null for a session that is not a user's.</summary>
    public Guid? CurrentUserId => Guid.TryParse(User.FindFirstValue(System.Security.Claims.ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The business's teammates by id, for assignment (their sign-in emails).</summary>
    protected Task<Dictionary<Guid, string>> TeammatesAsync(CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().OrderBy(u => u.Email).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);

    protected async Task LoadTenantAsync(CancellationToken cancellationToken)
    {
        var scope = HttpContext.RequestServices.GetRequiredService<TenantScope>();
        Tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        Zone = TimeZoneInfo.TryFindSystemTimeZoneById(Tenant.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Zone).ToString("MMM d, h:mm tt", CultureInfo.InvariantCulture);

    /// <summary>The messages of one form (its fields are named "Form.Field") or of one key, for showing beside it.</summary>
    public IEnumerable<string> ErrorsOf(string form) =>
        ModelState.Where(m => m.Key.Equals(form, StringComparison.OrdinalIgnoreCase) || m.Key.StartsWith(form + ".", StringComparison.OrdinalIgnoreCase))
            .SelectMany(m => m.Value!.Errors.Select(e => e.ErrorMessage));

    /// <summary>Copies an API handler's validation problem into the form's messages; true when there was none.</summary>
    protected bool Accept(IResult result, string? prefix = null)
    {
        switch (result)
        {
            case ValidationProblem problem:
                foreach (var (key, messages) in problem.ProblemDetails.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(prefix is null ? key : $"{prefix}.{key}", message);
                    }
                }

                return false;
            case ProblemHttpResult problem:
                ModelState.AddModelError(prefix ?? string.Empty, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "That did not work.");
                return false;
            case Microsoft.AspNetCore.Http.HttpResults.NotFound:
                ModelState.AddModelError(prefix ?? string.Empty, "Not found.");
                return false;
            default:
                return true;
        }
    }

    protected static void AddErrors(ModelStateDictionary modelState, Dictionary<string, string[]> errors, string? prefix = null)
    {
        foreach (var (key, messages) in errors)
        {
            foreach (var message in messages)
            {
                modelState.AddModelError(prefix is null ? key : $"{prefix}.{key}", message);
            }
        }
    }
}

public static class Show
{
    public static string Outcome(AgentOutcome? outcome) => outcome switch
    {
        null => "",
        AgentOutcome.AppointmentScheduled => "Appointment Scheduled",
        AgentOutcome.NotInterested => "Not Interested",
        AgentOutcome.NeedsHuman => "Needs Human",
        AgentOutcome.WrongPerson => "Wrong Person",
        AgentOutcome.MaxTurnsReached => "Max Turns Reached",
        _ => outcome.Value.ToString(),
    };

    public static string Name(Contact contact, string fallback) =>
        string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } name ? name : fallback;

    public static string Dollars(long micros) => (micros / (decimal)Billing.Money.MicrosPerDollar).ToString("$#,0.00##;-$#,0.00##", CultureInfo.InvariantCulture);
}

/// <summary>The sidebar badges: escalations waiting in Needs Attention, callbacks due soon or overdue, and
/// interested leads (texters who replied and whom the agent is still working, recently).</summary>
public sealed record SidebarCounts(int Escalations, int UrgentCallbacks, int InterestedLeads)
{
    /// <summary>A callback is urgent from this long before it is due…</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromHours(2);

    /// <summary>…until it has been overdue this long (older ones are history, not a to-do).</summary>
    public static readonly TimeSpan OverdueFor = TimeSpan.FromDays(1);

    /// <summary>A lead counts while its last text is this recent.</summary>
    public static readonly TimeSpan LeadWindow = TimeSpan.FromDays(7);

    public static async Task<SidebarCounts> CountAsync(ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var escalations = await (await ConversationsApi.FilterAsync(db, db.Conversations, null, true, null, null, null, cancellationToken)).Query.CountAsync(cancellationToken);
        var urgent = await db.Callbacks.CountAsync(c => c.Status != CallbackStatus.Cancelled && c.DueAtUtc >= now - OverdueFor && c.DueAtUtc <= now + DueSoon, cancellationToken);
        var since = now - LeadWindow;
        var leads = await (await ConversationsApi.FilterAsync(db, db.Conversations, null, false, since, null, "None", cancellationToken)).Query
            .CountAsync(c => !c.AiPaused && db.Messages.Any(m => m.ConversationId == c.Id && m.Direction == MessageDirection.Inbound), cancellationToken);
        return new SidebarCounts(escalations, urgent, leads);
    }
}
