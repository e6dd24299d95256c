using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Conversations;

public static class ConversationsApi
{
    public sealed record StartConversation(string? To, string? ContactName, string? Company, string? Message);

    public sealed record SendText(string? Text, string? Phone);

    public sealed record GuideBody(string? Guide);

    /// <param name="Type">The number's line type (Mobile, FixedLine, TollFree…); null for numbers stored before Parley kept it.</param>
    public sealed record PhoneView(string Number, bool AiPaused, AgentOutcome? Outcome, int Turns, bool OptedOut, PhoneType? Type,
        bool Undeliverable = false, string? UndeliverableReason = null, DateTime? UndeliverableAt = null);

    public sealed record ConversationView(
        Guid Id,
        ContactsApi.ContactView Contact,
        string TenantNumber,
        IReadOnlyList<PhoneView> Phones,
        AgentOutcome? Outcome,
        bool AiPaused,
        bool NeedsAttention,
        int Turns,
        int SkippedReplies,
        string? Notice,
        string? Guide,
        Guid? AssistantId,
        DateTime CreatedAt,
        DateTime LastMessageAt);

    public sealed record MessageView(
        long Id,
        MessageDirection Direction,
        string Text,
        SmsEncoding Encoding,
        int Segments,
        MessageStatus Status,
        bool IsAi,
        MessageAuthor Author,
        string ContactNumber,
        string? ErrorCode,
        string? Error,
        DateTime CreatedAt,
        DateTime StatusAt);

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
        conversations.MapPut("/{id:guid}/guide", SetGuideAsync).WithName("SetConversationGuide").WithSummary("Sets the guide the agent follows in a conversation.");
    }

    private static Task<Results<Ok<ConversationView>, NotFound>> PauseAiAsync(Guid id, ParleyDb db, ActivityLog log, CancellationToken cancellationToken) =>
        SetPausedAsync(id, null, true, db, log, cancellationToken);

    private static Task<Results<Ok<ConversationView>, NotFound>> ResumeAiAsync(Guid id, ParleyDb db, ActivityLog log, CancellationToken cancellationToken) =>
        SetPausedAsync(id, null, false, db, log, cancellationToken);

    private static Task<Results<Ok<ConversationView>, NotFound>> ResumePhoneAiAsync(Guid id, string number, ParleyDb db, ActivityLog log, CancellationToken cancellationToken) =>
        SetPausedAsync(id, number, false, db, log, cancellationToken);

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

    internal static async Task<Results<Ok<List<ConversationView>>, ValidationProblem>> ListAsync(
        ParleyDb db, string? search, bool? needsAttention, DateTime? from, DateTime? to, int? limit, CancellationToken cancellationToken, string? outcome = null)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Limit is 1 to 500."] });
        }

        var (query, errors) = Filter(db, db.Conversations, search, needsAttention, from, to, outcome);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var conversations = await WithDetails(query).OrderByDescending(c => c.LastMessageAtUtc).Take(limit ?? 100).ToListAsync(cancellationToken);
        var views = conversations.Select(View).ToList();
        return TypedResults.Ok(views);
    }

    /// <summary>The conversations a list or an export shows: a search (<see cref="ConversationSearch"/>), whether they
    /// need attention, when their last message was, and their qualification status (an outcome's name, or "None"
    /// for conversations the agent is still working). Errors are per field, for a validation problem.</summary>
    internal static (IQueryable<Conversation> Query, Dictionary<string, string[]>? Errors) Filter(
        ParleyDb db, IQueryable<Conversation> query, string? search, bool? needsAttention, DateTime? from, DateTime? to, string? outcome)
    {
        if (search is { Length: > 100 })
        {
            return (query, new Dictionary<string, string[]> { ["search"] = ["Search is at most 100 characters."] });
        }

        if (!string.IsNullOrWhiteSpace(search) && ConversationSearch.Refusal(search) is { } tooShort)
        {
            return (query, new Dictionary<string, string[]> { ["search"] = [tooShort] });
        }

        AgentOutcome? wanted = null;
        if (outcome is not null && !string.Equals(outcome, "None", StringComparison.OrdinalIgnoreCase))
        {
            if (!Enum.TryParse<AgentOutcome>(outcome, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return (query, new Dictionary<string, string[]>
                {
                    ["outcome"] = [$"'{outcome}' is not an outcome: use None, {string.Join(", ", Enum.GetNames<AgentOutcome>())}."],
                });
            }

            wanted = parsed;
        }

        if (outcome is not null)
        {
            query = wanted is { } o ? query.Where(c => c.Outcome == o) : query.Where(c => c.Outcome == null);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            query = ConversationSearch.Matching(db, query, search);
        }

        if (needsAttention is { } attention)
        {
            query = attention
                ? query.Where(c => (c.Outcome != null && AttentionOutcomes.Contains(c.Outcome.Value)) || c.ModelFailedAtUtc != null)
                : query.Where(c => (c.Outcome == null || !AttentionOutcomes.Contains(c.Outcome.Value)) && c.ModelFailedAtUtc == null);
        }

        if (from is { } since)
        {
            var sinceUtc = since.ToUniversalTime();
            query = query.Where(c => c.LastMessageAtUtc >= sinceUtc);
        }

        if (to is { } until)
        {
            var untilUtc = until.ToUniversalTime();
            query = query.Where(c => c.LastMessageAtUtc <= untilUtc);
        }

        return (query, null);
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
        return TypedResults.Ok(messages.Select(m => new MessageView(m.Id, m.Direction, m.Text, m.Encoding, m.Segments, m.Status, m.IsAi,
            m.Author, m.ContactNumber, m.ErrorCode, m.Error, m.CreatedAtUtc, m.StatusAtUtc)).ToList());
    }

    /// <summary>A person at the business texts by hand. That pauses the AI on the conversation, so the agent
    /// never talks over a human.</summary>
    internal static async Task<Results<Created<MessageView>, NotFound, ValidationProblem, ProblemHttpResult>> SendAsync(
        Guid id, SendText body, ParleyDb db, OutboundMessages outbound, ActivityLog log, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        if (OutboundMessages.Validate(body.Text) is { } error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [error] });
        }

        var number = body.Phone is null
            ? await db.Messages.Where(m => m.ConversationId == id).OrderByDescending(m => m.Id).Select(m => m.ContactNumber).FirstOrDefaultAsync(cancellationToken)
              ?? conversation.Phones.First().Number
            : conversation.Phones.FirstOrDefault(p => p.Number == body.Phone)?.Number;
        if (number is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["That number is not part of this conversation."] });
        }

        if (await db.ContactPhones.AnyAsync(p => p.Number == number && p.OptedOutAtUtc != null, cancellationToken))
        {
            return TypedResults.Problem(statusCode: 409, title: "Contact opted out", detail: "This number opted out of texts from this business; nothing was sent.");
        }

        if (!conversation.AiPaused)
        {
            conversation.AiPaused = true;
            log.Record(conversation.TenantId, conversation.Id, ActivityKind.Paused, "AI paused: a person replied by hand.");
        }

        var message = outbound.Queue(conversation, number, body.Text!, MessageAuthor.Human);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/conversations/{id}/messages/{message.Id}", new MessageView(message.Id, message.Direction, message.Text,
            message.Encoding, message.Segments, message.Status, message.IsAi, message.Author, message.ContactNumber, null, null, message.CreatedAtUtc, message.StatusAtUtc));
    }

    /// <summary>Pause, or resume: resuming makes the AI active at once and forgets the old turns and outcome,
    /// so an earlier hand-off does not fire again.</summary>
    internal static async Task<Results<Ok<ConversationView>, NotFound>> SetPausedAsync(Guid id, string? number, bool paused, ParleyDb db, ActivityLog log, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        var phones = conversation?.Phones.Where(p => number is null || p.Number == number || p.Number == "+" + number.TrimStart('+', ' ')).ToList();
        if (conversation is null || phones is not { Count: > 0 })
        {
            return TypedResults.NotFound();
        }

        if (paused)
        {
            conversation.AiPaused = true;
            log.Record(conversation.TenantId, conversation.Id, ActivityKind.Paused, "AI paused by a person.");
        }
        else
        {
            foreach (var phone in phones)
            {
                phone.AiPaused = false;
                phone.Turns = 0;
                phone.Outcome = null;
            }

            if (number is null || conversation.Phones.All(p => p.Outcome is null))
            {
                conversation.AiPaused = false;
                conversation.Outcome = null;
                conversation.Turns = 0;
            }

            log.Record(conversation.TenantId, conversation.Id, ActivityKind.Resumed,
                number is null ? "AI resumed: turns reset, outcome cleared." : $"AI resumed for {string.Join(", ", phones.Select(p => p.Number))}: turns reset, outcome cleared.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, id, cancellationToken));
    }

    internal static async Task<Results<Ok<ConversationView>, NotFound, ValidationProblem>> SetGuideAsync(Guid id, GuideBody body, ParleyDb db, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return TypedResults.NotFound();
        }

        if (body.Guide is { Length: > 4000 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["guide"] = ["The guide is at most 4,000 characters."] });
        }

        conversation.Guide = string.IsNullOrWhiteSpace(body.Guide) ? null : body.Guide.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, id, cancellationToken));
    }

    public static async Task<ConversationView> ViewAsync(ParleyDb db, Guid id, CancellationToken cancellationToken) =>
        View(await WithDetails(db.Conversations).FirstAsync(x => x.Id == id, cancellationToken));

    private static IQueryable<Conversation> WithDetails(IQueryable<Conversation> query) =>
        query.AsNoTracking().AsSplitQuery().Include(x => x.Contact).ThenInclude(x => x.Phones).Include(x => x.Phones);

    public static ConversationView View(Conversation c)
    {
        var optedOut = c.Contact.Phones.Where(p => p.OptedOutAtUtc != null).Select(p => p.Number).ToHashSet();
        var types = c.Contact.Phones.ToDictionary(p => p.Number, p => p.Type);
        var undeliverable = c.Contact.Phones.Where(p => p.UndeliverableAtUtc != null).ToDictionary(p => p.Number);
        return new ConversationView(
            c.Id,
            ContactsApi.View(c.Contact),
            c.TenantNumber,
            c.Phones.OrderBy(p => p.Number).Select(p => new PhoneView(p.Number, p.AiPaused || c.AiPaused, p.Outcome, p.Turns, optedOut.Contains(p.Number), types.GetValueOrDefault(p.Number),
                undeliverable.ContainsKey(p.Number), undeliverable.GetValueOrDefault(p.Number)?.UndeliverableReason, undeliverable.GetValueOrDefault(p.Number)?.UndeliverableAtUtc)).ToList(),
            c.Outcome,
            c.AiPaused || c.Phones.All(p => p.AiPaused),
            (c.Outcome is { } outcome && AttentionOutcomes.Contains(outcome)) || c.ModelFailedAtUtc != null,
            c.Turns,
            c.SkippedReplies,
            c.Notice,
            c.Guide,
            c.AssistantId,
            c.CreatedAtUtc,
            c.LastMessageAtUtc);
    }
}
