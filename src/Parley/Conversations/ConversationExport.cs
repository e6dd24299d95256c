using System.Buffers;
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
        var (query, errors) = await ConversationsApi.FilterAsync(db, db.Conversations.AsNoTracking(), search, needsAttention, from, to, outcome, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"conversations.csv\"";
        // One flat row per conversation, its phones joined by the database in one grouped pass over the tenant's phones
        // (the (TenantId, ConversationId, Number) index), so rows stream in the list's order: a collection of phones per
        // row made EF add the keys of both tables to the ORDER BY, and the database sorted every row before sending one.
        // PostgreSQL orders each conversation's numbers itself; EF cannot say so on SQLite, which reads them through
        // that index, in the same number order.
        var grouped = db.ConversationPhones.GroupBy(p => p.ConversationId);
        var phones = db.Database.IsNpgsql()
            ? grouped.Select(g => new { ConversationId = g.Key, Numbers = string.Join(" ", g.OrderBy(p => p.Number).Select(p => p.Number)) })
            : grouped.Select(g => new { ConversationId = g.Key, Numbers = string.Join(" ", g.Select(p => p.Number)) });
        // The id as text from the database (lower-case, as Guid formats it): no Guid parsed and formatted again per row.
        var rows = (from c in query
                    join ph in phones on c.Id equals ph.ConversationId into joined
                    from ph in joined.DefaultIfEmpty()
                    orderby c.LastMessageAtUtc descending
                    select new ExportRow(
                        c.Id.ToString().ToLower(), c.Contact.FirstName, c.Contact.LastName, c.Contact.Company, ph.Numbers ?? "",
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

    /// <summary>Writes CSV rows as UTF-8, quoting and defusing exactly as <see cref="Field(string?)"/> and
    /// <see cref="Defuse"/> do, without a string per field or row. Rows gather in a buffer of its own that goes to the
    /// response in 64 KB pieces: Kestrel's response writer takes a lock on every <c>GetSpan</c> and <c>Advance</c>,
    /// which per field cost more than the rest of the row.</summary>
    private sealed class CsvRows(System.IO.Pipelines.PipeWriter output)
    {
        private readonly byte[] buffer = new byte[FlushBytes + 4096];
        private int length;
        private bool first = true;

        public long Buffered => length;

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
                Ascii('"');
            }

            if (defuse && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
            {
                Ascii('\'');
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
                Ascii('"');
                rest = rest[(quote + 1)..];
            }

            Text(rest);
            Ascii('"');
        }

        public void Field(int value) => Formatted(value, 11);

        /// <summary>Round-trip ("O") form, as <see cref="DateTime.ToString(string)"/> writes it.</summary>
        public void Field(DateTime value) => Formatted(value, 33, "O");

        public void EndRow()
        {
            Ascii('\r');
            Ascii('\n');
            first = true;
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Spill();
            await output.FlushAsync(cancellationToken);
        }

        private void Separator()
        {
            if (!first)
            {
                Ascii(',');
            }

            first = false;
        }

        private void Formatted<T>(T value, int maxLength, string? format = null) where T : IUtf8SpanFormattable
        {
            Separator();
            if (!value.TryFormat(Room(maxLength), out var written, format, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"{typeof(T).Name} did not fit {maxLength} bytes.");
            }

            length += written;
        }

        private void Ascii(char character)
        {
            Room(1)[0] = (byte)character;
            length++;
        }

        private void Text(ReadOnlySpan<char> text)
        {
            var most = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
            if (most > buffer.Length)
            {
                // A field longer than the whole buffer goes to the response on its own.
                Spill();
                output.Advance(System.Text.Encoding.UTF8.GetBytes(text, output.GetSpan(most)));
                return;
            }

            length += System.Text.Encoding.UTF8.GetBytes(text, Room(most));
        }

        /// <summary>At least <paramref name="bytes"/> (at most the buffer's size) free at the end of the buffer.</summary>
        private Span<byte> Room(int bytes)
        {
            if (buffer.Length - length < bytes)
            {
                Spill();
            }

            return buffer.AsSpan(length);
        }

        private void Spill()
        {
            if (length > 0)
            {
                output.Write(buffer.AsSpan(0, length));
                length = 0;
            }
        }
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled.</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>Text typed by contacts must not run as a formula when the file is opened in a spreadsheet.</summary>
    public static string? Defuse(string? value) =>
        value is { Length: > 0 } && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
}
