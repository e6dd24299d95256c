using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Messaging;

/// <summary>Parley on Telnyx with small ingest bounds, so a test can fill the batcher.</summary>
public sealed class IngestApp() : TelnyxApp(new Dictionary<string, string?>
{
    ["Parley:WebhookIngest:BatchSize"] = "16",
    ["Parley:WebhookIngest:Capacity"] = "64",
});

/// <summary>Group commit: many webhooks share one durable transaction, each is answered after it, exactly once.</summary>
public sealed class WebhookIngestTests(IngestApp fixture) : IClassFixture<IngestApp>
{
    private static int numbers = 2000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private string Received(string eventId, string messageId, string from, string to) =>
        fixture.Telnyx.MessageReceivedJson(eventId, messageId, from, to, "Hi, is the house on Elm St still available?");

    private async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> PostAsync(string json, string? traceParent = null)
    {
        using var client = fixture.App.CreateClient();
        using var request = fixture.Telnyx.SignedWebhook(json);
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.ToString());
    }

    private Task<List<WorkItem>> InboundWorkAsync(Guid tenantId) =>
        fixture.App.QueryAsync(db => db.WorkItems.IgnoreQueryFilters().Where(w => w.TenantId == tenantId && w.Kind == InboundTextProcessor.Work.Name).ToListAsync());

    private Task<List<string>> StoredEventIdsAsync(string prefix) =>
        fixture.App.QueryAsync(db => db.WebhookEvents.Where(e => e.EventId.StartsWith(prefix)).Select(e => e.EventId).ToListAsync());

    [Fact]
    public async Task Copies_of_one_text_in_flight_together_are_stored_once_and_all_answered_200()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var contact = NextNumber();
        var prefix = $"evt-copy-{Guid.NewGuid():N}";
        var messageId = $"msg-{Guid.NewGuid():N}";
        var sameEvent = Received($"{prefix}-a", messageId, contact, tenant.Number);
        var posts = Enumerable.Range(0, 10).Select(_ => PostAsync(sameEvent))
            .Concat(Enumerable.Range(0, 10).Select(i => PostAsync(Received($"{prefix}-resent-{i}", messageId, contact, tenant.Number))))
            .ToList();

        var answers = await Task.WhenAll(posts);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers, a => a.Body.Contains("accepted", StringComparison.Ordinal));
        Assert.Equal(19, answers.Count(a => a.Body.Contains("duplicate", StringComparison.Ordinal)));
        Assert.Single(await StoredEventIdsAsync(prefix));
        Assert.Single(await InboundWorkAsync(tenant.Id), w => w.Payload.Contains(messageId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_text_of_a_shared_commit_is_stored_with_its_work_and_its_request_trace()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var prefix = $"evt-trace-{Guid.NewGuid():N}";
        var texts = Enumerable.Range(0, 40).Select(i => (Event: $"{prefix}-{i}", Message: $"msg-{Guid.NewGuid():N}", Trace: System.Diagnostics.ActivityTraceId.CreateRandom().ToString())).ToList();

        var answers = await Task.WhenAll(texts.Select(t =>
            PostAsync(Received(t.Event, t.Message, NextNumber(), tenant.Number), $"00-{t.Trace}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01")));

        Assert.All(answers, a => Assert.Contains("accepted", a.Body, StringComparison.Ordinal));
        Assert.Equal(texts.Count, (await StoredEventIdsAsync(prefix)).Count);
        var work = await InboundWorkAsync(tenant.Id);
        foreach (var text in texts)
        {
            var item = Assert.Single(work, w => w.Payload.Contains(text.Message, StringComparison.Ordinal));
            Assert.Contains(text.Trace, item.TraceParent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_text_to_an_unknown_number_is_ignored_even_in_a_batch_with_others()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var prefix = $"evt-mixed-{Guid.NewGuid():N}";

        var answers = await Task.WhenAll(
            PostAsync(Received($"{prefix}-known", $"msg-{Guid.NewGuid():N}", NextNumber(), tenant.Number)),
            PostAsync(Received($"{prefix}-nobody", $"msg-{Guid.NewGuid():N}", NextNumber(), NextNumber())),
            PostAsync(fixture.Telnyx.MessageSentJson($"{prefix}-sent", $"msg-{Guid.NewGuid():N}")));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], answers.Select(a => a.Status));
        Assert.Contains("accepted", answers[0].Body, StringComparison.Ordinal);
        Assert.Contains("ignored: no tenant owns the number texted", answers[1].Body, StringComparison.Ordinal);
        Assert.Contains("accepted", answers[2].Body, StringComparison.Ordinal);
        Assert.Equal([$"{prefix}-known", $"{prefix}-sent"], (await StoredEventIdsAsync(prefix)).Order());
    }

    [Fact]
    public async Task A_full_batcher_answers_503_with_retry_after_and_the_carrier_s_resend_is_stored_once()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var prefix = $"evt-full-{Guid.NewGuid():N}";
        var texts = Enumerable.Range(0, 200).Select(i => Received($"{prefix}-{i}", $"msg-{Guid.NewGuid():N}", NextNumber(), tenant.Number)).ToList();
        List<Task<(HttpStatusCode Status, string Body, string? RetryAfter)>> posts;
        await using (await HoldCommitsAsync())
        {
            // While commits are held at most two batches (16 committing, 16 looked up behind them) and the channel (64)
            // wait: the rest are refused at once.
            posts = texts.Select(t => PostAsync(t)).ToList();
            await Eventually.GetAsync(() => Task.FromResult(posts.Count(p => p.IsCompleted)), done => done >= texts.Count - 16 - 16 - 64, TimeSpan.FromSeconds(30));
            var refused = posts.Where(p => p.IsCompleted).Select(p => p.Result).ToList();
            Assert.All(refused, r => Assert.Equal((HttpStatusCode.ServiceUnavailable, "1"), (r.Status, r.RetryAfter)));
            Assert.All(refused, r => Assert.Contains("\"title\":\"Busy\"", r.Body, StringComparison.Ordinal));
        }

        var answers = await Task.WhenAll(posts);
        var resends = texts.Where((_, i) => answers[i].Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.ServiceUnavailable), a => Assert.Contains("accepted", a.Body, StringComparison.Ordinal));
        Assert.True(resends.Count >= texts.Count - 16 - 16 - 64, $"{resends.Count} refused");
        foreach (var resend in resends)
        {
            Assert.Contains("accepted", (await PostAsync(resend)).Body, StringComparison.Ordinal);
        }

        Assert.Equal(texts.Count, (await StoredEventIdsAsync(prefix)).Distinct().Count());
        Assert.Equal(texts.Count, (await InboundWorkAsync(tenant.Id)).Count);
    }

    [Fact]
    public async Task A_copy_arriving_while_its_original_commits_is_a_duplicate_once_the_original_is_stored()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var prefix = $"evt-ahead-{Guid.NewGuid():N}";
        var messageId = $"msg-{Guid.NewGuid():N}";
        var contact = NextNumber();
        Task<(HttpStatusCode Status, string Body, string? RetryAfter)> original;
        List<Task<(HttpStatusCode Status, string Body, string? RetryAfter)>> copies;
        await using (await HoldCommitsAsync())
        {
            original = PostAsync(Received($"{prefix}-a", messageId, contact, tenant.Number));
            await Eventually.GetAsync(() => Task.FromResult(fixture.App.Services.GetRequiredService<WebhookIngestBatcher>().InFlight), n => n == 1);
            // The original's batch is committing (held): these form the next batch, looked up before that commit is visible.
            copies = [PostAsync(Received($"{prefix}-a", messageId, contact, tenant.Number)), PostAsync(Received($"{prefix}-resent", messageId, contact, tenant.Number))];
            await Eventually.GetAsync(() => Task.FromResult(fixture.App.Services.GetRequiredService<WebhookIngestBatcher>().InFlight), n => n == 3);
        }

        Assert.Contains("accepted", (await original).Body, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(copies), a => Assert.Equal((HttpStatusCode.OK, true), (a.Status, a.Body.Contains("duplicate", StringComparison.Ordinal))));
        Assert.Single(await StoredEventIdsAsync(prefix));
        Assert.Single(await InboundWorkAsync(tenant.Id), w => w.Payload.Contains(messageId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_copy_of_an_event_whose_commit_fails_is_refused_too_so_the_carrier_sends_it_again()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var prefix = $"evt-ahead-bad-{Guid.NewGuid():N}";
        await PoisonAsync($"{prefix}-a");
        var json = Received($"{prefix}-a", $"msg-{Guid.NewGuid():N}", NextNumber(), tenant.Number);
        Task<(HttpStatusCode Status, string Body, string? RetryAfter)> original, copy;
        await using (await HoldCommitsAsync())
        {
            original = PostAsync(json);
            await Eventually.GetAsync(() => Task.FromResult(fixture.App.Services.GetRequiredService<WebhookIngestBatcher>().InFlight), n => n == 1);
            copy = PostAsync(json);
            await Eventually.GetAsync(() => Task.FromResult(fixture.App.Services.GetRequiredService<WebhookIngestBatcher>().InFlight), n => n == 2);
        }

        // Never "duplicate" for an event that was not stored: that 200 would lose the text.
        Assert.Equal(HttpStatusCode.InternalServerError, (await original).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await copy).Status);
        Assert.Empty(await StoredEventIdsAsync(prefix));
    }

    [Fact]
    public async Task An_event_whose_insert_fails_costs_only_its_own_answer()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var prefix = $"evt-poison-{Guid.NewGuid():N}";
        await PoisonAsync($"{prefix}-bad");
        List<Task<(HttpStatusCode Status, string Body, string? RetryAfter)>> posts;
        await using (await HoldCommitsAsync())
        {
            // Held, so that the events queue up and share a batch, which then fails as a whole.
            posts = Enumerable.Range(0, 6).Select(i => PostAsync(Received(i == 3 ? $"{prefix}-bad" : $"{prefix}-{i}", $"msg-{Guid.NewGuid():N}", NextNumber(), tenant.Number))).ToList();
            await Eventually.GetAsync(() => Task.FromResult(fixture.App.Services.GetRequiredService<WebhookIngestBatcher>().InFlight), n => n == 6);
        }

        var answers = await Task.WhenAll(posts);

        Assert.Equal(HttpStatusCode.InternalServerError, answers[3].Status);
        Assert.All(answers.Where((_, i) => i != 3), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(5, (await StoredEventIdsAsync(prefix)).Count);
        Assert.Equal(5, (await InboundWorkAsync(tenant.Id)).Count);
    }

    /// <summary>A trigger that refuses one event id, as a broken row would.</summary>
    private async Task PoisonAsync(string eventId)
    {
        var name = $"poison_{eventId.Replace('-', '_')}";
        var sql = TestDatabase.IsPostgres
            ? $"""
                CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW."EventId" = '{eventId}' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER "{name}" BEFORE INSERT ON "WebhookEvents" FOR EACH ROW EXECUTE FUNCTION "{name}"();
                """
            : $"""
                CREATE TRIGGER "{name}" BEFORE INSERT ON "WebhookEvents" WHEN NEW."EventId" = '{eventId}'
                BEGIN SELECT RAISE(ABORT, 'poisoned'); END;
                """;
        await fixture.App.QueryAsync(db => db.Database.ExecuteSqlRawAsync(sql));
    }

    /// <summary>Holds every webhook commit until disposed: SQLite's write gate, or PostgreSQL's table lock (reads still pass).</summary>
    private async Task<IAsyncDisposable> HoldCommitsAsync()
    {
        if (!TestDatabase.IsPostgres)
        {
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var holding = fixture.App.Services.GetRequiredService<SqliteWriteGate>().RunAsync(
                () =>
                {
                    held.SetResult();
                    return release.Task;
                },
                CancellationToken.None);
            await held.Task;
            return new Release(async () =>
            {
                release.SetResult(true);
                await holding;
            });
        }

        var connection = new NpgsqlConnection(fixture.App.Services.GetRequiredService<IConfiguration>().GetConnectionString("Parley"));
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE \"WebhookEvents\" IN EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Release(async () =>
        {
            await transaction.CommitAsync();
            await connection.DisposeAsync();
        });
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
