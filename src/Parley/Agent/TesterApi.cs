using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Agent;

/// <summary>A private conversation with the agent: the same turn, guards and outcomes as a real one, but
/// no SMS is sent and nothing is charged.</summary>
public sealed class TesterSession : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid AssistantId { get; set; }
    public required string StateJson { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

public static class TesterApi
{
    public const int MaxHistory = 40;

    public sealed record HistoryLine(string? From, string? Text);

    public sealed record CreateSession(Guid? AssistantId, IReadOnlyList<HistoryLine>? History);

    public sealed record CreatedSession(Guid Id);

    public sealed record TesterText(string? Text);

    /// <param name="Sources">the knowledge passages the reply states facts from</param>
    public sealed record TesterReply(IReadOnlyList<string> Replies, AgentOutcome? Outcome, bool Paused, string? ContactName, DateTimeOffset? CallbackAt,
        IReadOnlyList<ReplySource> Sources);

    /// <summary>What a session remembers between texts.</summary>
    /// <param name="Cited">the sources of the recent replies that had some (older sessions have none)</param>
    public sealed record State(List<TranscriptLine> History, string? ContactName, AgentOutcome? Outcome, bool Paused, DateTimeOffset? CallbackAt, int Turns,
        List<CitedReply>? Cited = null);

    /// <summary>A reply of the session and the passages it stated facts from.</summary>
    public sealed record CitedReply(DateTime AtUtc, string Text, IReadOnlyList<ReplySource> Sources);

    public static void MapTesterApi(this RouteGroupBuilder api)
    {
        api.MapPost("/tester/sessions", CreateAsync).WithName("CreateTesterSession").WithSummary("Starts a tester session: an assistant tried without a carrier or a contact.");
        api.MapPost("/tester/sessions/{id:guid}/messages", TextAsync).WithName("TextTesterSession").WithSummary("Texts the assistant in a tester session and returns its reply.")
            .ProducesProblem(StatusCodes.Status502BadGateway);
    }

    internal static async Task<Results<Created<CreatedSession>, ValidationProblem, NotFound>> CreateAsync(
        CreateSession? body, ParleyDb db, TenantScope scope, AssistantSelector assistants, TimeProvider time, CancellationToken cancellationToken)
    {
        var history = new List<TranscriptLine>();
        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (line, i) in (body?.History ?? []).Select((l, i) => (l, i)))
        {
            Speaker? from = line.From switch { "agent" => Speaker.Agent, "contact" => Speaker.Contact, _ => null };
            if (from is null || string.IsNullOrWhiteSpace(line.Text) || line.Text.Length > 1600)
            {
                errors[$"history[{i}]"] = ["Each line needs from = \"agent\" or \"contact\" and a text of 1 to 1,600 characters."];
                continue;
            }

            history.Add(new TranscriptLine(from.Value, line.Text, now));
        }

        if (history.Count > MaxHistory)
        {
            errors["history"] = [$"At most {MaxHistory} lines of history."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenantId = scope.TenantId();
        Assistant assistant;
        if (body?.AssistantId is { } assistantId)
        {
            var own = await db.Assistants.FirstOrDefaultAsync(a => a.Id == assistantId, cancellationToken);
            if (own is null)
            {
                return TypedResults.NotFound();
            }

            assistant = own;
        }
        else
        {
            assistant = await assistants.DefaultAsync(tenantId, cancellationToken);
        }

        var session = new TesterSession
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            AssistantId = assistant.Id,
            StateJson = JsonSerializer.Serialize(new State(history, null, null, false, null, history.Count(l => l.From == Speaker.Agent))),
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
        db.TesterSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tester/sessions/{session.Id}", new CreatedSession(session.Id));
    }

    internal static async Task<Results<Ok<TesterReply>, ValidationProblem, NotFound, ProblemHttpResult>> TextAsync(
        Guid id, TesterText body, ParleyDb db, TurnRunner turn, TimeProvider time, CancellationToken cancellationToken)
    {
        var session = await db.TesterSessions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null)
        {
            return TypedResults.NotFound();
        }

        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 1600)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["A text of 1 to 1,600 characters is required."] });
        }

        var state = JsonSerializer.Deserialize<State>(session.StateJson)!;
        var tenant = await db.Tenants.FirstAsync(t => t.Id == session.TenantId, cancellationToken);
        var assistant = await db.Assistants.FirstAsync(a => a.Id == session.AssistantId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        state.History.Add(new TranscriptLine(Speaker.Contact, body.Text, now));
        var replies = new List<string>();
        IReadOnlyList<ReplySource> sources = [];

        if (OptOutWords.Classify(body.Text) == OptIntent.OptOut)
        {
            // As in a real conversation: an opt-out ends it as Not Interested, silently.
            state = state with { Paused = true, Outcome = AgentOutcome.NotInterested };
        }
        else if (!state.Paused && state.Turns >= assistant.MaxTurns)
        {
            state = state with { Paused = true, Outcome = AgentOutcome.MaxTurnsReached };
        }
        else if (!state.Paused)
        {
            TurnResult result;
            try
            {
                result = await turn.RunAsync(
                    new TurnInput(tenant, assistant, state.History.TakeLast(20).ToList(), null, state.ContactName, null, false, []),
                    cancellationToken);
            }
            catch (AgentModelException ex)
            {
                return TypedResults.Problem(statusCode: 502, title: "The model did not give a usable answer", detail: ex.Message);
            }

            var decision = result.Decision;
            if (result.Reply is { } reply)
            {
                replies.Add(reply);
                sources = result.Sources;
                if (sources.Count > 0)
                {
                    state = state with { Cited = [.. (state.Cited ?? []).TakeLast(MaxHistory - 1), new CitedReply(now, reply, sources)] };
                }
                state.History.Add(new TranscriptLine(Speaker.Agent, reply, now));
            }

            state = state with
            {
                ContactName = state.ContactName ?? decision.ContactFirstName,
                Outcome = decision.Outcome == AgentOutcome.Ongoing ? state.Outcome : decision.Outcome,
                Paused = decision.Outcome != AgentOutcome.Ongoing,
                CallbackAt = result.CallbackAtLocal ?? state.CallbackAt,
                Turns = state.Turns + (result.Reply is null ? 0 : 1),
            };
        }

        session.StateJson = JsonSerializer.Serialize(state with { History = state.History.TakeLast(MaxHistory).ToList() });
        session.UpdatedAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new TesterReply(replies, state.Outcome, state.Paused, state.ContactName, state.CallbackAt, sources));
    }
}
