using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Parley.Bench;

/// <summary>
/// The CSV export of a tenant with many conversations, streamed by the running Parley over HTTP, against the
/// floor: the same rows read with a plain data reader on the same database and written as CSV to nowhere, in
/// the bench process. Parley's memory is sampled from /proc while the export streams, so growth over the idle
/// process shows whether the export sits in memory. The conversations are seeded straight into the database
/// with set-based SQL: it is the export that is measured, not the seeding.
/// </summary>
internal static class ExportBench
{
    public static async Task RunAsync(HttpClient http, ParleyProcess parley, string connectionString, bool postgres, Guid tenantId, string apiKey, int count)
    {
        var seeding = Stopwatch.StartNew();
        await SeedAsync(connectionString, postgres, tenantId, count);
        seeding.Stop();
        Console.WriteLine($"  export: {count:N0} conversations seeded in {seeding.Elapsed.TotalSeconds:0.0} s.");

        var floor = await FloorAsync(connectionString, postgres, tenantId);
        var idle = parley.ResidentBytes();
        long highestRss;
        var clock = Stopwatch.StartNew();
        long rows, bytes;
        using (var sampler = parley.SampleResident())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(parley.BaseAddress, "/api/conversations/export.csv"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            (rows, bytes) = await CountRowsAsync(await response.Content.ReadAsStreamAsync());
            clock.Stop();
            highestRss = sampler.Peak;
        }

        rows--; // the header
        Load.Row($"CSV export, {rows:N0} conversations (rows/s)", rows / clock.Elapsed.TotalSeconds, floor.Rows / floor.Seconds);
        Console.WriteLine($"  {bytes / 1048576.0:0} MB in {clock.Elapsed.TotalSeconds:0.0} s (floor: {floor.Rows:N0} rows in {floor.Seconds:0.0} s, same rows, data reader to a null stream)."
            + $" Parley RSS idle {idle / 1048576.0:0} MB, peak {highestRss / 1048576.0:0} MB, growth {(highestRss - idle) / 1048576.0:0} MB.");
        if (rows != count)
        {
            Console.WriteLine($"  EXPORT INCOMPLETE: {rows:N0} rows of {count:N0}.");
        }
    }

    private static async Task<(long Rows, long Bytes)> CountRowsAsync(Stream body)
    {
        var buffer = new byte[64 * 1024];
        long rows = 0, bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            rows += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return (rows, bytes);
    }

    /// <summary>The same columns, read by one plain query and written as CSV through a <see cref="StreamWriter"/>
    /// into <see cref="Stream.Null"/>.</summary>
    private static async Task<(long Rows, double Seconds)> FloorAsync(string connectionString, bool postgres, Guid tenantId)
    {
        await using var connection = postgres ? (System.Data.Common.DbConnection)new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var phones = postgres ? """(SELECT string_agg(p."Number", ' ' ORDER BY p."Id") FROM "ConversationPhones" p WHERE p."ConversationId" = c."Id")"""
            : """(SELECT group_concat(p."Number", ' ') FROM "ConversationPhones" p WHERE p."ConversationId" = c."Id")""";
        command.CommandText = $"""
            SELECT c."Id", t."FirstName", t."LastName", t."Company", {phones}, c."Outcome", c."AiPaused", c."Turns", c."SkippedReplies", c."CreatedAtUtc", c."LastMessageAtUtc"
            FROM "Conversations" c JOIN "Contacts" t ON t."Id" = c."ContactId"
            WHERE c."TenantId" = @tenant ORDER BY c."LastMessageAtUtc" DESC
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";
        parameter.Value = postgres ? tenantId : tenantId.ToString().ToUpperInvariant();
        command.Parameters.Add(parameter);
        var clock = Stopwatch.StartNew();
        long rows = 0;
        await using var writer = new StreamWriter(Stream.Null, bufferSize: 64 * 1024);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                writer.Write(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            }

            writer.Write("\r\n");
            rows++;
        }

        return (rows, clock.Elapsed.TotalSeconds);
    }

    private static async Task SeedAsync(string connectionString, bool postgres, Guid tenantId, int count)
    {
        if (postgres)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandTimeout = 600;
            command.CommandText = """
                INSERT INTO "Contacts" ("Id", "TenantId", "FirstName", "LastName", "Company", "IsClient", "CreatedAtUtc")
                SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, @tenant, 'Sam', 'Client' || i,
                       CASE WHEN i % 7 = 0 THEN 'Acme, "North" Inc.' END, false, timestamptz '2026-01-01 00:00:00Z'
                FROM generate_series(0, @count - 1) AS i;
                INSERT INTO "Conversations" ("Id", "TenantId", "ContactId", "TenantNumber", "AiPaused", "IdentityConfirmed", "Outcome", "Turns", "SkippedReplies", "CreatedAtUtc", "LastMessageAtUtc")
                SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, @tenant, ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
                       '+14165550300', i % 9 = 0, false, CASE i % 4 WHEN 0 THEN 'AppointmentScheduled' WHEN 1 THEN 'Ongoing' END, i % 6, 0,
                       timestamptz '2026-01-01 00:00:00Z', timestamptz '2026-01-01 00:00:00Z' + i * interval '1 second'
                FROM generate_series(0, @count - 1) AS i;
                INSERT INTO "ConversationPhones" ("Id", "TenantId", "ConversationId", "Number", "AiPaused", "Turns")
                SELECT ('00000000-0000-7000-a000-' || lpad(to_hex(i), 12, '0'))::uuid, @tenant, ('00000000-0000-7000-9000-' || lpad(to_hex(i), 12, '0'))::uuid,
                       '+1647' || lpad(i::text, 7, '0'), false, 0
                FROM generate_series(0, @count - 1) AS i;
                ANALYZE "Contacts"; ANALYZE "Conversations"; ANALYZE "ConversationPhones";
                """;
            command.Parameters.AddWithValue("tenant", tenantId);
            command.Parameters.AddWithValue("count", count);
            await command.ExecuteNonQueryAsync();
        }
        else
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandTimeout = 600;
            // Guids as EF Core stores them on SQLite: upper-case text.
            command.CommandText = """
                PRAGMA busy_timeout = 60000;
                BEGIN IMMEDIATE;
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @count - 1)
                INSERT INTO "Contacts" ("Id", "TenantId", "FirstName", "LastName", "Company", "IsClient", "CreatedAtUtc")
                SELECT printf('00000000-0000-7000-8000-%012X', i), @tenant, 'Sam', 'Client' || i,
                       CASE WHEN i % 7 = 0 THEN 'Acme, "North" Inc.' END, 0, '2026-01-01 00:00:00'
                FROM n;
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @count - 1)
                INSERT INTO "Conversations" ("Id", "TenantId", "ContactId", "TenantNumber", "AiPaused", "IdentityConfirmed", "Outcome", "Turns", "SkippedReplies", "CreatedAtUtc", "LastMessageAtUtc")
                SELECT printf('00000000-0000-7000-9000-%012X', i), @tenant, printf('00000000-0000-7000-8000-%012X', i),
                       '+14165550300', i % 9 = 0, 0, CASE i % 4 WHEN 0 THEN 'AppointmentScheduled' WHEN 1 THEN 'Ongoing' END, i % 6, 0,
                       '2026-01-01 00:00:00', datetime('2026-01-01 00:00:00', '+' || i || ' seconds')
                FROM n;
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @count - 1)
                INSERT INTO "ConversationPhones" ("Id", "TenantId", "ConversationId", "Number", "AiPaused", "Turns")
                SELECT printf('00000000-0000-7000-A000-%012X', i), @tenant, printf('00000000-0000-7000-9000-%012X', i),
                       '+1647' || printf('%07d', i), 0, 0
                FROM n;
                COMMIT;
                ANALYZE;
                """;
            command.Parameters.AddWithValue("@tenant", tenantId.ToString().ToUpperInvariant());
            command.Parameters.AddWithValue("@count", count);
            await command.ExecuteNonQueryAsync();
        }
    }
}
