using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Analytics;
using Parley.Data;

namespace Parley.Web.Pages;

/// <summary>How the agent is doing, in pictures: conversations and replies per day, the lead funnel, outcomes and
/// spend, for a date range and optionally one agent or campaign. The numbers come from the API's own handler.</summary>
public sealed class AnalyticsModel(ParleyDb db, TimeProvider time) : DashboardPage(db)
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? AssistantId { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? CampaignId { get; set; }

    public AnalyticsReportView? Report { get; private set; }

    public IReadOnlyList<(Guid Id, string Name)> Agents { get; private set; } = [];

    public IReadOnlyList<(Guid Id, string Name)> Campaigns { get; private set; } = [];

    public IEnumerable<string> Errors => ModelState.Values.SelectMany(v => v.Errors.Select(e => e.ErrorMessage));

    /// <summary>What the charts draw, as JSON in a data block the page's script reads (no inline script).</summary>
    public string ChartData => Report is not { } r ? "{}" : JsonSerializer.Serialize(new
    {
        days = r.Days.Select(d => d.Date.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture)),
        conversations = r.Days.Select(d => d.Conversations),
        replied = r.Days.Select(d => d.Replied),
        aiReplies = r.Days.Select(d => d.AiReplies),
        appointments = r.Days.Select(d => d.Appointments),
        optOuts = r.Days.Select(d => d.OptOuts),
        aiSpend = r.Days.Select(d => d.AiSpend),
        smsSpend = r.Days.Select(d => d.SmsSpend),
        funnel = new[] { r.Funnel.Texted, r.Funnel.Replied, r.Funnel.Qualified, r.Funnel.Appointments },
    });

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Agents = (await Db.Assistants.AsNoTracking().OrderBy(a => a.Name).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Id, a.Name)).ToList();
        Campaigns = (await Db.Campaigns.AsNoTracking().OrderByDescending(c => c.CreatedAtUtc).Select(c => new { c.Id, c.Name }).Take(200).ToListAsync(cancellationToken))
            .Select(c => (c.Id, c.Name)).ToList();
        var result = await AnalyticsApi.GetAsync(From, To, AssistantId, CampaignId, Db, time, cancellationToken);
        if (result.Result is Ok<AnalyticsReportView> { Value: { } report })
        {
            Report = report;
            From = report.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            To = report.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            Accept(result.Result);
        }
    }
}
