using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Agent;

/// <summary>The AI activity log and the callbacks the agent booked.</summary>
public static class ActivityApi
{
    public sealed record ActivityView(long Id, Guid? ConversationId, ActivityKind Kind, string Detail, AgentOutcome? Outcome,
        string? Model, int? LatencyMs, int? InputTokens, int? OutputTokens, DateTime CreatedAt, IReadOnlyList<ReplySource> Sources);

    /// <summary>A callback; <c>status</c> and <c>eventUid</c> show its state on the calendar when one is connected.</summary>
    public sealed record CallbackView(Guid Id, Guid ConversationId, Guid ContactId, string? ContactName, string ContactNumber, DateTimeOffset CallbackAt, DateTime CreatedAt,
        CallbackStatus Status, string? EventUid);

    public sealed record NoteBody(string? Text, string? Channel);

    public sealed record NoteView(long Id, Guid ContactId, string Text, string? Channel, DateTime CreatedAt);

    public static void MapActivityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/activity", ListActivityAsync).WithName("ListActivity").WithSummary("The agent's activity log: replies, skips, outcomes and model errors.");
        api.MapGet("/callbacks", ListCallbacksAsync).WithName("ListCallbacks").WithSummary("Callbacks the agent booked.");
        api.MapGet("/contacts/{id:guid}/notes", ListNotesAsync).WithName("ListContactNotes").WithSummary("A contact's notes, newest first: what the agent knows from other channels.");
        api.MapPost("/contacts/{id:guid}/notes", AddNoteAsync).WithName("AddContactNote").WithSummary("Adds a note to a contact; the agent reads the latest notes.");
    }

    internal static async Task<Results<Ok<List<ActivityView>>, ValidationProblem>> ListActivityAsync(
        ParleyDb db, Guid? conversationId, ActivityKind? kind, long? before, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["The limit is 1 to 500."] });
        }

        var query = db.Activity.AsNoTracking();
        if (conversationId is { } conversation)
        {
            query = query.Where(a => a.ConversationId == conversation);
        }

        if (kind is { } k)
        {
            query = query.Where(a => a.Kind == k);
        }

        if (before is { } cursor)
        {
            query = query.Where(a => a.Id < cursor);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(limit ?? 100).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(a => new ActivityView(a.Id, a.ConversationId, a.Kind, a.Detail, a.Outcome, a.Model, a.LatencyMs,
            a.InputTokens, a.OutputTokens, a.CreatedAtUtc, ReplySources.Parse(a.SourcesJson))).ToList());
    }

    internal static async Task<Ok<List<CallbackView>>> ListCallbacksAsync(ParleyDb db, TenantScope scope, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZone);
        var rows = await db.Callbacks.AsNoTracking().OrderBy(c => c.DueAtUtc)
            .Join(db.Contacts, c => c.ContactId, p => p.Id, (c, p) => new { Callback = c, p.FirstName, p.LastName })
            .Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => new CallbackView(
            r.Callback.Id,
            r.Callback.ConversationId,
            r.Callback.ContactId,
            string.Join(' ', new[] { r.FirstName, r.LastName }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } name ? name : null,
            r.Callback.ContactNumber,
            TimeZoneInfo.ConvertTime(new DateTimeOffset(r.Callback.DueAtUtc, TimeSpan.Zero), zone),
            r.Callback.CreatedAtUtc,
            r.Callback.Status,
            r.Callback.EventUid)).ToList());
    }

    internal static async Task<Results<Ok<List<NoteView>>, NotFound>> ListNotesAsync(Guid id, ParleyDb db, CancellationToken cancellationToken)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var notes = await db.ContactNotes.AsNoTracking().Where(n => n.ContactId == id).OrderByDescending(n => n.Id).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(notes.Select(n => new NoteView(n.Id, n.ContactId, n.Text, n.Channel, n.CreatedAtUtc)).ToList());
    }

    internal static async Task<Results<Created<NoteView>, NotFound, ValidationProblem>> AddNoteAsync(
        Guid id, NoteBody body, ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return TypedResults.NotFound();
        }

        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 4000 || body.Channel is { Length: > 40 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["A note of 1 to 4,000 characters is required; channel at most 40."] });
        }

        var note = new ContactNote
        {
            TenantId = contact.TenantId,
            ContactId = contact.Id,
            Text = body.Text.Trim(),
            Channel = string.IsNullOrWhiteSpace(body.Channel) ? null : body.Channel.Trim(),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.ContactNotes.Add(note);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/contacts/{id}/notes/{note.Id}", new NoteView(note.Id, note.ContactId, note.Text, note.Channel, note.CreatedAtUtc));
    }
}
