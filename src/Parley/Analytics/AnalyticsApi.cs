using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Analytics;

/// <summary>The numbers behind the Analytics page, for API clients too.</summary>
public static class AnalyticsApi
{
    public static void MapAnalyticsApi(this RouteGroupBuilder api) =>
        api.MapGet("/analytics", GetAsync).WithName("GetAnalytics")
            .WithSummary("Conversations started between from and to (local dates, YYYY-MM-DD; the last 30 days by default), replies, the lead funnel, outcomes and spend per day; for one agent or campaign when named.");

    internal static async Task<Results<Ok<AnalyticsReportView>, ValidationProblem>> GetAsync(
        string? from, string? to, Guid? assistantId, Guid? campaignId, ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = db.CurrentTenantId;
        var zoneId = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).FirstAsync(cancellationToken);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        var range = Range(from, to, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime));
        var errors = new Dictionary<string, string[]>();
        if (range.Error is { } rangeError)
        {
            errors[range.Field!] = [rangeError];
        }

        if (assistantId is { } assistant && !await db.Assistants.AnyAsync(a => a.Id == assistant, cancellationToken))
        {
            errors["assistantId"] = ["No agent of yours has this id."];
        }

        if (campaignId is { } campaign && !await db.Campaigns.AnyAsync(c => c.Id == campaign, cancellationToken))
        {
            errors["campaignId"] = ["No campaign of yours has this id."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await AnalyticsReport.BuildAsync(db, zone, range.From, range.To, assistantId, campaignId, cancellationToken));
    }

    /// <summary>The range asked for, or the 30 days up to today; what is wrong with it, naming the field.</summary>
    public static (DateOnly From, DateOnly To, string? Field, string? Error) Range(string? from, string? to, DateOnly today)
    {
        DateOnly? Parse(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 2000 and <= 2100 ? d : null;

        const string DateFormat = "Write the date as YYYY-MM-DD, between 2000 and 2100.";
        var (parsedFrom, parsedTo) = (Parse(from), Parse(to));
        if (!string.IsNullOrEmpty(to) && parsedTo is null)
        {
            return (today, today, "to", DateFormat);
        }

        if (!string.IsNullOrEmpty(from) && parsedFrom is null)
        {
            return (today, today, "from", DateFormat);
        }

        var end = parsedTo ?? today;
        var start = parsedFrom ?? end.AddDays(-29);
        if (start > end)
        {
            return (today, today, "from", "The range starts after it ends.");
        }

        return end.DayNumber - start.DayNumber + 1 > AnalyticsReport.MaxDays
            ? (today, today, "to", $"A range covers at most {AnalyticsReport.MaxDays} days.")
            : (start, end, null, null);
    }
}
