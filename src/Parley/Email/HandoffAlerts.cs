using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Agent;
using Parley.Conversations;
using Parley.Data;
using Parley.Webhooks;
using Parley.Work;

namespace Parley.Email;

/// <summary>
/// Emails the people who should act when a conversation needs attention or a call is booked: the teammate it is
/// assigned to, else the owners, when they have alerts on. Queued in the same save as the change (from the events <see cref="WebhookEventsInterceptor"/> notices),
/// so an alert exists exactly when its cause was committed; at most one per conversation per
/// <see cref="EmailOptions.AlertWindow"/>. The email goes out before the conversation records it: a crash between the
/// two sends it again rather than never.
/// </summary>
public sealed class HandoffAlerts(ParleyDb db, EmailSender sender, ActivityLog activity, IOptions<EmailOptions> options, IOptions<ParleyOptions> parley, TimeProvider time) : IWorkHandler
{
    public sealed record Payload(Guid ConversationId, string Type, string Reason);

    /// <summary>One conversation's alerts run one at a time, so two escalations in one moment make one email.</summary>
    public static readonly WorkKind<Payload> Work = new("email.handoff-alert", (p, _) => $"alert:{p.ConversationId:N}");

    public static void AddTo(IServiceCollection services) => services.AddWorkHandler<HandoffAlerts>(Work);

    /// <summary>Adds an alert to the save for each event that calls for one; the number queued.</summary>
    internal static int Queue(ParleyDb db, TimeProvider time, IEnumerable<WebhookEvents.Raised> events)
    {
        var queue = new WorkQueue(db, time);
        var queued = 0;
        foreach (var raised in events.Where(e => e.ConversationId is not null && e.Type is WebhookEventTypes.ConversationNeedsAttention or WebhookEventTypes.AppointmentScheduled)
            .OrderBy(e => e.Type == WebhookEventTypes.AppointmentScheduled ? 0 : 1).DistinctBy(e => e.ConversationId))
        {
            queue.Enqueue(Work, new Payload(raised.ConversationId!.Value, raised.Type, raised.Reason ?? string.Empty), raised.TenantId);
            queued++;
        }

        return queued;
    }

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var payload = Work.Read(item);
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var conversation = await db.Conversations.Include(c => c.Contact).FirstOrDefaultAsync(c => c.Id == payload.ConversationId, cancellationToken);
        if (!settings.Enabled || conversation is null || conversation.AlertedAtUtc > now - settings.AlertWindow)
        {
            return WorkResult.Done;
        }

        // The teammate the conversation is assigned to hears of it; nobody assigned (or alerts off), the owners do.
        var assignee = conversation.AssigneeUserId is { } assigned
            ? await db.Users.AsNoTracking().Where(u => u.Id == assigned && u.EmailAlerts).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken)
            : null;
        var to = assignee is not null ? [assignee]
            : await db.Users.AsNoTracking().Where(u => u.Role == UserRole.Owner && u.EmailAlerts).OrderBy(u => u.CreatedAtUtc)
                .Select(u => u.Email).ToListAsync(cancellationToken);
        if (to.Count == 0)
        {
            return WorkResult.Done;
        }

        var last = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound)
            .OrderByDescending(m => m.Id).Select(m => new { m.Text, m.ContactNumber }).FirstOrDefaultAsync(cancellationToken);
        var who = string.Join(' ', new[] { conversation.Contact.FirstName, conversation.Contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        var number = last?.ContactNumber;
        var name = who.Length > 0 ? (number is null ? who : $"{who} ({number})") : number ?? "A contact";
        var booked = payload.Type == WebhookEventTypes.AppointmentScheduled;
        var subject = booked ? $"Call booked: {name}" : $"Needs attention: {name} ({Reason(payload.Reason)})";
        var lines = new List<string> { booked ? $"{name} booked a call." : $"{name} needs a person: {Reason(payload.Reason)}.", string.Empty };
        if (last is not null)
        {
            lines.AddRange(["Their last text:", "  " + last.Text, string.Empty]);
        }

        lines.AddRange([
            "Open the conversation: " + parley.Value.Link($"/conversations/{conversation.Id}"),
            string.Empty,
            "You get these emails because alerts are on in your settings: " + parley.Value.Link("/settings"),
        ]);
        var body = string.Join('\n', lines) + "\n";

        await sender.SendAsync(new OutgoingEmail(to, subject, body), cancellationToken);
        conversation.AlertedAtUtc = now;
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Alert, $"Emailed {string.Join(", ", to)}: {subject}");
        await db.SaveChangesAsync(cancellationToken);
        return WorkResult.Done;
    }

    private static string Reason(string reason) => reason switch
    {
        "NeedsHuman" => "asked for a person",
        "Interested" => "interested",
        "AppointmentScheduled" => "booked a call",
        "WrongPerson" => "says this is the wrong person",
        "MaxTurnsReached" => "the AI used all its turns",
        "ModelFailed" => "the AI model failed to answer",
        "UnansweredQuestion" => "asked something the knowledge does not answer",
        "" => "needs attention",
        _ => reason,
    };
}
