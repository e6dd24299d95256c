using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Conversations;

/// <summary><c>GET /api/conversations/export.csv</c>: every conversation of the tenant as RFC 4180 CSV (hand-written: CsvHelper's current API is synchronous),
/// streamed row by row so a large tenant never sits in memory: rows go to the response buffer, which is flushed every 64 KB.</summary>
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
        // One flat row per conversation, phones joined by the database: no collection to stitch together per row.
        // The id as text from the database (lower-case, as Guid formats it): no Guid parsed and formatted again per row.
        var rows = query.OrderByDescending(c => c.LastMessageAtUtc).Select(c => new ExportRow(
            c.Id.ToString().ToLower(), c.Contact.FirstName, c.Contact.LastName, c.Contact.Company,
            string.Join(" ", c.Phones.OrderBy(p => p.Id).Select(p => p.Number)),
            c.Outcome, c.AiPaused, c.Turns, c.SkippedReplies, c.CreatedAtUtc, c.LastMessageAtUtc)).AsAsyncEnumerable();
        var csv = new CsvRows(context.Response.BodyWriter);
        foreach (var name in Header)
        {
            csv.Field(name);
        }

        csv.EndRow();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            csv.Field(row.Id);
            csv.Field(row.FirstName, defuse: true);
            csv.Field(row.LastName, defuse: true);
            csv.Field(row.Company, defuse: true);
            csv.Field(row.Phones);
            csv.Field(row.Outcome is { } rowOutcome ? OutcomeNames[rowOutcome] : null);
            csv.Field(row.AiPaused ? "true" : "false");
            csv.Field(row.Turns);
            csv.Field(row.SkippedReplies);
            csv.Field(row.CreatedAtUtc);
            csv.Field(row.LastMessageAtUtc);
            csv.EndRow();
            if (csv.Buffered >= FlushBytes)
            {
                await csv.FlushAsync(cancellationToken);
            }
        }

        await csv.FlushAsync(cancellationToken);
        return TypedResults.Empty;
    }

    private const int FlushBytes = 64 * 1024;

    private static readonly string[] Header =
        ["conversation_id", "first_name", "last_name", "company", "phones", "outcome", "ai_paused", "turns", "skipped_replies", "created_at", "last_message_at"];

    private static readonly Dictionary<Agent.AgentOutcome, string> OutcomeNames = Enum.GetValues<Agent.AgentOutcome>().ToDictionary(o => o, o => o.ToString());

    private sealed record ExportRow(string Id, string? FirstName, string? LastName, string? Company, string Phones,
        Agent.AgentOutcome? Outcome, bool AiPaused, int Turns, int SkippedReplies, DateTime CreatedAtUtc, DateTime LastMessageAtUtc);

    /// <summary>Writes CSV rows as UTF-8 straight into the response's buffer, quoting and defusing exactly as
    /// <see cref="Field(string?)"/> and <see cref="Defuse"/> do, without a string per field or row.</summary>
    private sealed class CsvRows(System.IO.Pipelines.PipeWriter output)
    {
        private bool first = true;

        public long Buffered { get; private set; }

        public void Field(string? value, bool defuse = false)
        {
            Separator();
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            var quoted = value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
            if (quoted)
            {
                Ascii("\"");
            }

            if (defuse && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
            {
                Ascii("'");
            }

            if (!quoted)
            {
                Text(value);
                return;
            }

            var rest = value.AsSpan();
            for (var quote = rest.IndexOf('"'); quote >= 0; quote = rest.IndexOf('"'))
            {
                Text(rest[..(quote + 1)]);
                Ascii("\"");
                rest = rest[(quote + 1)..];
            }

            Text(rest);
            Ascii("\"");
        }

        public void Field(Guid value) => Formatted(value, 36);

        public void Field(int value) => Formatted(value, 11);

        /// <summary>Round-trip ("O") form, as <see cref="DateTime.ToString(string)"/> writes it.</summary>
        public void Field(DateTime value) => Formatted(value, 33, "O");

        public void EndRow()
        {
            Ascii("\r\n");
            first = true;
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Buffered = 0;
            await output.FlushAsync(cancellationToken);
        }

        private void Separator()
        {
            if (!first)
            {
                Ascii(",");
            }

            first = false;
        }

        private void Formatted<T>(T value, int maxLength, string? format = null) where T : IUtf8SpanFormattable
        {
            Separator();
            var span = output.GetSpan(maxLength);
            if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"{typeof(T).Name} did not fit {maxLength} bytes.");
            }

            Advance(written);
        }

        private void Ascii(string text) => Text(text);

        private void Text(ReadOnlySpan<char> text)
        {
            var span = output.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
            Advance(System.Text.Encoding.UTF8.GetBytes(text, span));
        }

        private void Advance(int bytes)
        {
            output.Advance(bytes);
            Buffered += bytes;
        }
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled.</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>Text typed by contacts must not run as a formula when the file is opened in a spreadsheet.</summary>
    public static string? Defuse(string? value) =>
        value is { Length: > 0 } && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
}
