using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Conversations;

/// <summary><c>GET /api/conversations/export.csv</c>: every conversation of the tenant as RFC 4180 CSV (hand-written: CsvHelper's current API is synchronous),
/// streamed row by row so a large tenant never sits in memory.</summary>
public static class ConversationExport
{
    public static void MapConversationExport(this RouteGroupBuilder api) => api.MapGet("/conversations/export.csv", ExportAsync)
        .WithName("ExportConversations").WithSummary("The conversations the filters select, as CSV.")
        .Produces(StatusCodes.Status200OK, contentType: "text/csv");

    /// <summary>Takes the list's filters (<see cref="ConversationsApi.Filter"/>), so an export holds what the
    /// dashboard showed.</summary>
    private static async Task<Results<EmptyHttpResult, ValidationProblem>> ExportAsync(
        HttpContext context, ParleyDb db, string? search, bool? needsAttention, DateTime? from, DateTime? to, string? outcome, CancellationToken cancellationToken)
    {
        var (query, errors) = ConversationsApi.Filter(db, db.Conversations.AsNoTracking(), search, needsAttention, from, to, outcome);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"conversations.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false));
        await WriteRowAsync(writer, ["conversation_id", "first_name", "last_name", "company", "phones", "outcome", "ai_paused", "turns", "skipped_replies", "created_at", "last_message_at"]);
        var rows = query.OrderByDescending(c => c.LastMessageAtUtc).Select(c => new
        {
            c.Id,
            c.Contact.FirstName,
            c.Contact.LastName,
            c.Contact.Company,
            Phones = c.Phones.Select(p => p.Number).ToList(),
            c.Outcome,
            c.AiPaused,
            c.Turns,
            c.SkippedReplies,
            c.CreatedAtUtc,
            c.LastMessageAtUtc,
        }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await WriteRowAsync(writer,
            [
                row.Id.ToString(), Defuse(row.FirstName), Defuse(row.LastName), Defuse(row.Company), string.Join(' ', row.Phones),
                row.Outcome?.ToString(), row.AiPaused ? "true" : "false", row.Turns.ToString(CultureInfo.InvariantCulture),
                row.SkippedReplies.ToString(CultureInfo.InvariantCulture), row.CreatedAtUtc.ToString("O", CultureInfo.InvariantCulture),
                row.LastMessageAtUtc.ToString("O", CultureInfo.InvariantCulture),
            ]);
        }

        await writer.FlushAsync(cancellationToken);
        return TypedResults.Empty;
    }

    private static Task WriteRowAsync(StreamWriter writer, IEnumerable<string?> fields) =>
        writer.WriteAsync(string.Join(',', fields.Select(Field)) + "\r\n");

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled.</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>Text typed by contacts must not run as a formula when the file is opened in a spreadsheet.</summary>
    public static string? Defuse(string? value) =>
        value is { Length: > 0 } && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
}
