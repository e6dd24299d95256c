using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Agent;

public static class AssistantsApi
{
    /// <param name="Mode">how the agent answers: Autopilot (default), Suggest (drafts for a person to send) or Off</param>
    public sealed record AssistantBody(string? Name, string? SystemPrompt, int? MaxTurns, bool? IsDefault, int? ReplyLengthLimit, AiMode? Mode = null,
        IReadOnlyList<int>? FollowUpHours = null);

    public sealed record AssistantView(Guid Id, string Name, string SystemPrompt, int MaxTurns, bool IsDefault, int ReplyLengthLimit,
        int DeliveryFailureScore, DateTime? AutoPausedUntil, AiMode Mode, IReadOnlyList<int> FollowUpHours);

    public static void MapAssistantsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/assistants", ListAsync).WithName("ListAssistants").WithSummary("The tenant's assistants, oldest first.");
        api.MapPost("/assistants", CreateAsync).WithName("CreateAssistant").WithSummary("Creates an assistant.");
        api.MapPut("/assistants/{id:guid}", UpdateAsync).WithName("UpdateAssistant").WithSummary("Replaces an assistant's settings.");
        api.MapPost("/assistants/{id:guid}/unpause", UnpauseAsync).WithName("UnpauseAssistant").WithSummary("Lifts an assistant's automatic pause after delivery failures.");
    }

    private static async Task<Ok<List<AssistantView>>> ListAsync(ParleyDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Assistants.OrderBy(a => a.CreatedAtUtc).ToListAsync(cancellationToken)).Select(View).ToList());

    private static AssistantView View(Assistant a) => new(a.Id, a.Name, a.SystemPrompt, a.MaxTurns, a.IsDefault, a.ReplyLengthLimit,
        a.DeliveryFailureScore, a.AutoPausedUntilUtc, a.Mode, FollowUps.FollowUpSchedule.Parse(a.FollowUpHours));

    private static Dictionary<string, string[]> Validate(AssistantBody body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }

        if (string.IsNullOrWhiteSpace(body.SystemPrompt) || body.SystemPrompt.Length > 8000)
        {
            errors["systemPrompt"] = ["A system prompt of 1 to 8,000 characters is required."];
        }

        if (body.MaxTurns is < 1 or > 100)
        {
            errors["maxTurns"] = ["Max turns is between 1 and 100."];
        }

        if (body.ReplyLengthLimit is < 40 or > 1530)
        {
            errors["replyLengthLimit"] = ["The reply length limit is between 40 and 1,530 characters."];
        }

        if (body.FollowUpHours is { } hours && FollowUps.FollowUpSchedule.Validate(hours) is { } scheduleError)
        {
            errors["followUpHours"] = [scheduleError];
        }

        return errors;
    }

    internal static async Task<Results<Created<AssistantView>, ValidationProblem>> CreateAsync(
        AssistantBody body, ParleyDb db, TenantScope scope, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var assistant = new Assistant
        {
            Id = Guid.CreateVersion7(),
            TenantId = scope.TenantId(),
            Name = body.Name!.Trim(),
            SystemPrompt = body.SystemPrompt!.Trim(),
            MaxTurns = body.MaxTurns ?? 10,
            ReplyLengthLimit = body.ReplyLengthLimit ?? 160,
            Mode = body.Mode ?? AiMode.Autopilot,
            FollowUpHours = FollowUps.FollowUpSchedule.Store(body.FollowUpHours ?? []),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Assistants.Add(assistant);
        await MakeDefaultIfAskedAsync(db, assistant, body.IsDefault ?? !await db.Assistants.AnyAsync(cancellationToken), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/assistants/{assistant.Id}", View(assistant));
    }

    internal static async Task<Results<Ok<AssistantView>, NotFound, ValidationProblem>> UpdateAsync(
        Guid id, AssistantBody body, ParleyDb db, CancellationToken cancellationToken)
    {
        var assistant = await db.Assistants.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assistant is null)
        {
            return TypedResults.NotFound();
        }

        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        assistant.Name = body.Name!.Trim();
        assistant.SystemPrompt = body.SystemPrompt!.Trim();
        assistant.MaxTurns = body.MaxTurns ?? assistant.MaxTurns;
        assistant.ReplyLengthLimit = body.ReplyLengthLimit ?? assistant.ReplyLengthLimit;
        assistant.Mode = body.Mode ?? assistant.Mode;
        assistant.FollowUpHours = body.FollowUpHours is { } hours ? FollowUps.FollowUpSchedule.Store(hours) : assistant.FollowUpHours;
        await MakeDefaultIfAskedAsync(db, assistant, body.IsDefault == true, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(assistant));
    }

    /// <summary>A person lifts the agent's self-pause before its waiting period ends.</summary>
    internal static async Task<Results<Ok<AssistantView>, NotFound>> UnpauseAsync(Guid id, ParleyDb db, ActivityLog log, CancellationToken cancellationToken)
    {
        var assistant = await db.Assistants.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assistant is null)
        {
            return TypedResults.NotFound();
        }

        assistant.AutoPausedUntilUtc = null;
        assistant.DeliveryFailureScore = 0;
        log.Record(assistant.TenantId, null, ActivityKind.Resumed, $"Agent '{assistant.Name}' unpaused by a person.");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(assistant));
    }

    /// <summary>One default per tenant: choosing a new default clears the old one.</summary>
    private static async Task MakeDefaultIfAskedAsync(ParleyDb db, Assistant assistant, bool makeDefault, CancellationToken cancellationToken)
    {
        if (!makeDefault)
        {
            return;
        }

        foreach (var other in await db.Assistants.Where(a => a.IsDefault && a.Id != assistant.Id).ToListAsync(cancellationToken))
        {
            other.IsDefault = false;
        }

        assistant.IsDefault = true;
    }
}
