using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Leads;

/// <summary>Leads from other systems (a CRM, a web form, Zapier): each starts or resumes the conversation with the
/// agent's opener, exactly once per <c>Idempotency-Key</c>. The opener obeys the conversation's AI mode: sent in
/// Autopilot, a draft for a person in Suggest, nothing in Off (the lead is still recorded).</summary>
public static class LeadsApi
{
    public const int MaxKeyLength = 200;
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Used when the lead brings no message of its own; {firstName} and {company} as in campaigns.</summary>
    public const string DefaultOpener = "Hi {firstName}, this is {company}. Thanks for reaching out! What can we help you with?";

    public sealed record LeadBody(string? Phone, string? FirstName, string? LastName, string? Company, string? Source, string? Message);

    public sealed record LeadView(Guid ConversationId, Guid ContactId, string Phone, bool Replayed);

    public static void MapLeadsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/leads", CreateAsync).WithName("CreateLead")
            .WithSummary("Hands Parley a lead: starts (or resumes) the conversation with the agent's opener, once per Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    internal static async Task<Results<Created<LeadView>, Ok<LeadView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        LeadBody body, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, HttpContext http, ParleyDb db, TenantScope scope,
        [AsParameters] OpenerServices opener, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = idempotencyKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            return TypedResults.Problem(statusCode: 400, title: "Idempotency-Key needed",
                detail: $"Send a unique {IdempotencyHeader} header (1 to {MaxKeyLength} characters) with each lead, so a retry never texts the person twice.");
        }

        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (!PhoneNumberParser.Default.TryNormalize(body.Phone, tenant.DefaultCountry, out var phone, out var phoneError))
        {
            errors["phone"] = [phoneError];
        }

        foreach (var (field, value) in new[] { ("firstName", body.FirstName), ("lastName", body.LastName), ("company", body.Company), ("source", body.Source) })
        {
            if (value is { Length: > 200 })
            {
                errors[field] = [$"{field} is at most 200 characters."];
            }
        }

        var text = CampaignTemplate.Render(string.IsNullOrWhiteSpace(body.Message) ? DefaultOpener : body.Message.Trim(), body.FirstName?.Trim(), tenant.Name);
        if (OutboundMessages.Validate(text) is { } textError)
        {
            errors["message"] = [textError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var number = phone!.Value;
        var hash = RequestHash(body with { Phone = number });
        for (var attempt = 0; ; attempt++)
        {
            if (await db.LeadRequests.AsNoTracking().FirstOrDefaultAsync(l => l.IdempotencyKey == key, cancellationToken) is { } earlier)
            {
                if (earlier.RequestHash != hash)
                {
                    return TypedResults.Problem(statusCode: 422, title: "Idempotency-Key reused",
                        detail: $"This {IdempotencyHeader} was already used for a different lead; use a new key for a new lead.");
                }

                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(new LeadView(earlier.ConversationId, earlier.ContactId, number, Replayed: true));
            }

            try
            {
                var (started, problem) = await StartAsync(key, hash, number, body, text, db, opener, time, cancellationToken);
                return started is null
                    ? problem!
                    : TypedResults.Created($"/api/conversations/{started.ConversationId}", started);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Matches(ex) && attempt == 0)
            {
                db.ChangeTracker.Clear(); // the same lead (or the same person) arrived at the same moment: read what won
            }
        }
    }

    private static async Task<(LeadView? Started, ProblemHttpResult? Problem)> StartAsync(
        string key, string hash, string number, LeadBody body, string text, ParleyDb db, OpenerServices opener,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var finder = opener.Finder;
        var from = await db.PhoneNumbers.OrderBy(n => n.CreatedAtUtc).Select(n => n.Number).FirstOrDefaultAsync(cancellationToken);
        if (from is null)
        {
            return (null, TypedResults.Problem(statusCode: 409, title: "No phone number", detail: "This business has no phone number to text from yet."));
        }

        var tenantId = db.CurrentTenantId!.Value;
        var (contact, phone) = await finder.FindOrCreateContactAsync(tenantId, number, cancellationToken);
        if (phone.OptedOutAtUtc is not null)
        {
            return (null, TypedResults.Problem(statusCode: 409, title: "Contact opted out", detail: $"{number} opted out of texts from this business; nothing was sent."));
        }

        contact.FirstName ??= Clean(body.FirstName);
        contact.LastName ??= Clean(body.LastName);
        contact.Company ??= Clean(body.Company);
        var conversation = await finder.FindOrOpenAsync(contact, number, from, cancellationToken);
        if (Clean(body.Source) is { } source)
        {
            db.ContactNotes.Add(new ContactNote { TenantId = tenantId, ContactId = contact.Id, Text = $"Lead from {source}.", Channel = "lead", CreatedAtUtc = time.GetUtcNow().UtcDateTime });
        }

        await OpenAsync(conversation, number, text, opener, cancellationToken);
        db.LeadRequests.Add(new LeadRequest
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            IdempotencyKey = key,
            RequestHash = hash,
            ConversationId = conversation.Id,
            ContactId = contact.Id,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return (new LeadView(conversation.Id, contact.Id, number, Replayed: false), null);
    }

    /// <summary>The services the opener needs: the conversation, its mode, and the way a text or a draft goes out.</summary>
    internal sealed record OpenerServices(ConversationFinder Finder, AssistantSelector Assistants, OutboundMessages Outbound, ReplyDrafts Drafts, ActivityLog Activity);

    private static async Task OpenAsync(Conversation conversation, string number, string text, OpenerServices opener, CancellationToken cancellationToken)
    {
        switch (await opener.Assistants.ModeForAsync(conversation.Mode, conversation.AssistantId, cancellationToken))
        {
            case AiMode.Suggest:
                await opener.Drafts.WriteOpenerAsync(conversation, number, text, cancellationToken);
                break;
            case AiMode.Off:
                opener.Activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Skipped, "New lead recorded; the AI is Off, so no opener was sent.");
                break;
            default:
                opener.Outbound.Queue(conversation, number, text, MessageAuthor.Agent);
                break;
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string RequestHash(LeadBody body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body with
        {
            FirstName = Clean(body.FirstName),
            LastName = Clean(body.LastName),
            Company = Clean(body.Company),
            Source = Clean(body.Source),
            Message = Clean(body.Message),
        }))));
}
