using System.Globalization;
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

    protected async Task LoadTenantAsync(CancellationToken cancellationToken)
    {
        var scope = HttpContext.RequestServices.GetRequiredService<TenantScope>();
        Tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        Zone = TimeZoneInfo.TryFindSystemTimeZoneById(Tenant.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Zone).ToString("MMM d, h:mm tt", CultureInfo.InvariantCulture);

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

/// <summary>The sidebar badge: escalated conversations plus callbacks due within the next day.</summary>
public static class AttentionCount
{
    public static async Task<int> CountAsync(ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var escalated = await db.Conversations.CountAsync(c => c.Outcome != null && ConversationsApi.AttentionOutcomes.Contains(c.Outcome.Value), cancellationToken);
        var urgent = await db.Callbacks.CountAsync(c => c.DueAtUtc >= now.AddHours(-1) && c.DueAtUtc <= now.AddDays(1), cancellationToken);
        return escalated + urgent;
    }
}
