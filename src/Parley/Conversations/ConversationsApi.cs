using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Conversations;

/// <summary>The conversations API: its route table, starting, listing and reading conversations.</summary>
public static partial class ConversationsApi
{
    public sealed record StartConversation(string? To, string? ContactName, string? Company, string? Message);

    public sealed record SendText(string? Text, string? Phone);

    public sealed record GuideBody(string? Guide);

    public static readonly AgentOutcome[] AttentionOutcomes =
        [AgentOutcome.AppointmentScheduled, AgentOutcome.NeedsHuman, AgentOutcome.WrongPerson, AgentOutcome.MaxTurnsReached];

    public static void MapConversationsApi(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations");
        conversations.MapPost("/", StartAsync).WithName("StartConversation").WithSummary("Starts a conversation with a contact by sending the first text.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        conversations.MapGet("/", ListAsync).WithName("ListConversations").WithSummary("Conversations, newest activity first, with filters and search.");
        conversations.MapGet("/{id:guid}", GetAsync).WithName("GetConversation").WithSummary("A conversation with its phones, outcome and notice.");
        conversations.MapGet("/{id:guid}/messages", MessagesAsync).WithName("ListMessages").WithSummary("A conversation's messages, oldest first.");
        conversations.MapPost("/{id:guid}/messages", SendAsync).WithName("SendMessage").WithSummary("Sends a text from a person in the business.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        conversations.MapPost("/{id:guid}/ai/pause", PauseAiAsync).WithName("PauseConversationAi").WithSummary("Stops the agent replying in a conversation.");
        conversations.MapPost("/{id:guid}/ai/resume", ResumeAiAsync).WithName("ResumeConversationAi").WithSummary("Lets the agent reply in a conversation again.");
        conversations.MapPost("/{id:guid}/phones/{number}/ai/resume", ResumePhoneAiAsync).WithName("ResumePhoneAi").WithSummary("Lets the agent reply to one phone of a conversation again.");
        conversations.MapPut("/{id:guid}/ai/mode", SetModeAsync).WithName("SetConversationAiMode")
            .WithSummary("Sets how the agent answers this conversation (Autopilot, Suggest, Off), or null to follow its agent.");
        conversations.MapPost("/{id:guid}/draft/send", SendDraftAsync).WithName("SendDraft")
            .WithSummary("Sends the agent's draft reply, as written or edited, as the AI reply.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status409Conflict);
        conversations.MapPost("/{id:guid}/draft/discard", DiscardDraftAsync).WithName("DiscardDraft").WithSummary("Throws the agent's draft reply away.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        conversations.MapPut("/{id:guid}/assignee", AssignAsync).WithName("AssignConversation").WithSummary("Assigns a conversation to a teammate (a user of this business), or to nobody with a null userId.");
        conversations.MapPut("/{id:guid}/guide", SetGuideAsync).WithName("SetConversationGuide").WithSummary("Sets the guide the agent follows in a conversation.");
    }

    internal static async Task<Results<Created<ConversationView>, ValidationProblem, ProblemHttpResult>> StartAsync(
        StartConversation body, ParleyDb db, TenantScope scope, ConversationFinder finder, OutboundMessages outbound, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (!PhoneNumberParser.Default.TryNormalize(body.To, tenant.DefaultCountry, out var to, out var toError))
        {
            errors["to"] = [toError];
        }

        if (OutboundMessages.Validate(body.Message) is { } textError)
        {
            errors["message"] = [textError];
        }

        if (body.ContactName is { Length: > 200 } || body.Company is { Length: > 200 })
        {
            errors["contactName"] = ["Contact name and company are at most 200 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var number = to!.Value;
        var from = await db.PhoneNumbers.OrderBy(n => n.CreatedAtUtc).Select(n => n.Number).FirstOrDefaultAsync(cancellationToken);
        if (from is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "No phone number", detail: "This business has no phone number to text from yet.");
        }

        var (contact, phone) = await finder.FindOrCreateContactAsync(tenant.Id, number, cancellationToken);
        if (phone.OptedOutAtUtc is not null)
        {
            return TypedResults.Problem(statusCode: 409, title: "Contact opted out", detail: $"{number} opted out of texts from this business; nothing was sent.");
        }

        if (body.ContactName?.Trim() is { Length: > 0 } name && contact.FirstName is null)
        {
            var parts = name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            contact.FirstName = parts[0];
            contact.LastName = parts.Length > 1 ? parts[1] : null;
        }

        if (body.Company?.Trim() is { Length: > 0 } company)
        {
            contact.Company ??= company;
        }

        var conversation = await finder.FindOrOpenAsync(contact, number, from, cancellationToken);
        outbound.Queue(conversation, number, body.Message!, MessageAuthor.Human);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/conversations/{conversation.Id}", await ViewAsync(db, conversation.Id, cancellationToken));
    }

    /// <param name="assigneeId">only conversations assigned to this teammate</param>
    /// <param name="contactId">only this contact's conversations</param>
    internal static async Task<Results<Ok<List<ConversationView>>, ValidationProblem>> ListAsync(
        ParleyDb db, string? search, bool? needsAttention, DateTime? from, DateTime? to, int? limit, CancellationToken cancellationToken, string? outcome = null,
        Guid? assigneeId = null, Guid? contactId = null)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Limit is 1 to 500."] });
        }

        var (query, errors) = await FilterAsync(db, db.Conversations, search, needsAttention, from, to, outcome, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (assigneeId is { } assignee)
        {
            query = query.Where(c => c.AssigneeUserId == assignee);
        }

        if (contactId is { } contact)
        {
            query = query.Where(c => c.ContactId == contact);
        }

        var conversations = await WithDetails(query).OrderByDescending(c => c.LastMessageAtUtc).Take(limit ?? 100).ToListAsync(cancellationToken);
        var modes = await AssistantModes.LoadAsync(db, cancellationToken);
        var views = conversations.Select(c => View(c, modes)).ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<ConversationView>, NotFound>> GetAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken)
            ? TypedResults.Ok(await ViewAsync(db, id, cancellationToken))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<List<MessageView>>, NotFound>> MessagesAsync(Guid id, ParleyDb db, CancellationToken cancellationToken)
    {
        if (!await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var messages = await db.Messages.Where(m => m.ConversationId == id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(messages.Select(View).ToList());
    }
}
