using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Billing;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Analytics;

/// <summary>One day of activity, in the tenant's time zone.</summary>
public sealed record AnalyticsDay(DateOnly Date, int Conversations, int Replied, int InboundTexts, int AiReplies, int HumanReplies, int Appointments,
    int OptOuts, decimal AiSpend, decimal SmsSpend);

/// <summary>The lead funnel of the conversations started in the range: texted, replied, qualified (replied, and
/// neither not interested nor the wrong person), appointment.</summary>
public sealed record AnalyticsFunnel(int Texted, int Replied, int Qualified, int Appointments);

public sealed record AnalyticsReportView(DateOnly From, DateOnly To, Guid? AssistantId, Guid? CampaignId, AnalyticsFunnel Funnel,
    double ReplyRate, double OptOutRate, decimal AiSpend, decimal SmsSpend, decimal? CostPerAppointment,
    IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<AnalyticsDay> Days);

/// <summary>
/// How the agent is doing over a date range: conversations started there (by the tenant's local date), what came
/// of them, and what they cost; optionally for one agent or one campaign. Rows are read as narrow projections and
/// counted here, since local days need the tenant's time zone, which neither database's SQL can apply the same way.
/// </summary>
public static class AnalyticsReport
{
    public const int MaxDays = 366;

    private static readonly AgentOutcome[] NotQualified = [AgentOutcome.NotInterested, AgentOutcome.WrongPerson];

    public static async Task<AnalyticsReportView> BuildAsync(ParleyDb db, TimeZoneInfo zone, DateOnly from, DateOnly to, Guid? assistantId, Guid? campaignId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(zone);
        var fromUtc = TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue), zone);
        var toUtc = TimeZoneInfo.ConvertTimeToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        DateOnly Day(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

        var conversations = db.Conversations.Where(c => c.CreatedAtUtc >= fromUtc && c.CreatedAtUtc < toUtc);
        if (assistantId is { } assistant)
        {
            conversations = conversations.Where(c => c.AssistantId == assistant);
        }

        if (campaignId is { } campaign)
        {
            conversations = conversations.Where(c => c.CampaignId == campaign);
        }

        var started = await conversations.Select(c => new { c.Id, c.CreatedAtUtc, c.Outcome }).ToListAsync(cancellationToken);
        var ids = conversations.Select(c => c.Id);
        var messages = await db.Messages.Where(m => ids.Contains(m.ConversationId) && m.CreatedAtUtc >= fromUtc && m.CreatedAtUtc < toUtc)
            .Select(m => new { m.ConversationId, m.Direction, m.IsAi, m.CreatedAtUtc }).ToListAsync(cancellationToken);
        var appointments = await db.Callbacks.Where(c => ids.Contains(c.ConversationId) && c.CreatedAtUtc >= fromUtc && c.CreatedAtUtc < toUtc)
            .Select(c => new { c.ConversationId, c.CreatedAtUtc }).ToListAsync(cancellationToken);
        var optOuts = await db.ContactPhones.Where(p => p.OptedOutAtUtc >= fromUtc && p.OptedOutAtUtc < toUtc
                && db.Conversations.Any(c => ids.Contains(c.Id) && c.ContactId == p.ContactId))
            .Select(p => p.OptedOutAtUtc!.Value).ToListAsync(cancellationToken);
        var spend = await db.WalletEntries
            .Where(w => w.CreatedAtUtc >= fromUtc && w.CreatedAtUtc < toUtc && (w.Kind == WalletEntryKind.AiReplyCharge || w.Kind == WalletEntryKind.SmsSentCharge || w.Kind == WalletEntryKind.InboundCharge)
                && (assistantId == null && campaignId == null || db.Messages.Any(m => m.Id == w.MessageId && ids.Contains(m.ConversationId))))
            .Select(w => new { w.Kind, w.AmountMicros, w.CreatedAtUtc }).ToListAsync(cancellationToken);

        var replied = messages.Where(m => m.Direction == MessageDirection.Inbound).Select(m => m.ConversationId).ToHashSet();
        var booked = appointments.Select(a => a.ConversationId).Concat(started.Where(c => c.Outcome == AgentOutcome.AppointmentScheduled).Select(c => c.Id)).ToHashSet();
        var qualified = started.Count(c => replied.Contains(c.Id) && !(c.Outcome is { } o && NotQualified.Contains(o)));
        var funnel = new AnalyticsFunnel(started.Count, started.Count(c => replied.Contains(c.Id)), qualified, booked.Count);

        // Each row's local day is worked out once; the days then read their rows from the lookups.
        var startedOn = started.ToLookup(c => Day(c.CreatedAtUtc));
        var messagesOn = messages.ToLookup(m => Day(m.CreatedAtUtc));
        var spendOn = spend.ToLookup(s => Day(s.CreatedAtUtc));
        var appointmentsOn = appointments.ToLookup(a => Day(a.CreatedAtUtc));
        var optOutsOn = optOuts.ToLookup(Day);
        var days = new List<AnalyticsDay>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var messagesThen = messagesOn[day];
            var spendThen = spendOn[day];
            days.Add(new AnalyticsDay(
                day,
                startedOn[day].Count(),
                startedOn[day].Count(c => replied.Contains(c.Id)),
                messagesThen.Count(m => m.Direction == MessageDirection.Inbound),
                messagesThen.Count(m => m.Direction == MessageDirection.Outbound && m.IsAi),
                messagesThen.Count(m => m.Direction == MessageDirection.Outbound && !m.IsAi),
                appointmentsOn[day].Count(),
                optOutsOn[day].Count(),
                Dollars(spendThen.Where(s => s.Kind == WalletEntryKind.AiReplyCharge).Sum(s => s.AmountMicros)),
                Dollars(spendThen.Where(s => s.Kind != WalletEntryKind.AiReplyCharge).Sum(s => s.AmountMicros))));
        }

        var aiSpend = Dollars(spend.Where(s => s.Kind == WalletEntryKind.AiReplyCharge).Sum(s => s.AmountMicros));
        var smsSpend = Dollars(spend.Where(s => s.Kind != WalletEntryKind.AiReplyCharge).Sum(s => s.AmountMicros));
        var outcomes = Enum.GetValues<AgentOutcome>().ToDictionary(o => o.ToString(), o => started.Count(c => (c.Outcome ?? AgentOutcome.Ongoing) == o));
        return new AnalyticsReportView(from, to, assistantId, campaignId, funnel,
            Rate(funnel.Replied, funnel.Texted), Rate(optOuts.Count, funnel.Texted), aiSpend, smsSpend,
            funnel.Appointments == 0 ? null : Math.Round((aiSpend + smsSpend) / funnel.Appointments, 2), outcomes, days);
    }

    /// <summary>Charges are stored negative in the ledger; spend is shown as a positive amount.</summary>
    private static decimal Dollars(long micros) => Math.Abs(new Money(micros).Dollars);

    private static double Rate(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
}
