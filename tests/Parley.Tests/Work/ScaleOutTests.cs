using System.Net.Http.Headers;
using Npgsql;
using Parley.Bench;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Work;

/// <summary>
/// Two Parley processes on one PostgreSQL database behind an imaginary load balancer: webhooks go to
/// either, the same event goes to both (a retry to the failover URL), and one instance is killed mid-run.
/// Every contact still gets exactly one reply; campaign limits and the wallet hold across both instances.
/// Runs in the PostgreSQL pass of <c>.ci/run</c>.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("parley-scale-").FullName;
    private TestDatabase? database;
    private FakeTelnyx telnyx = null!;
    private readonly List<ParleyProcess> instances = [];

    public async Task InitializeAsync()
    {
        telnyx = await FakeTelnyx.StartAsync();
        if (TestDatabase.IsPostgres)
        {
            database = new TestDatabase(folder);
        }
    }

    private Dictionary<string, string> Environment()
    {
        var env = telnyx.AppSettings().Concat(database!.Settings).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        env["Parley__AdminApiKey"] = "scale-admin";
        env["Parley__Agent__DebounceSeconds"] = "0.3";
        env["Parley__Work__IdlePoll"] = "00:00:00.200";
        return env;
    }

    /// <summary>Delivers a signed webhook to one instance; true when it was acknowledged.</summary>
    private async Task<bool> DeliverAsync(Uri instance, string json)
    {
        using var client = new HttpClient { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(5) };
        using var request = telnyx.SignedWebhook(json);
        try
        {
            return (await client.SendAsync(request)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Starts two instances on the shared database (with <paramref name="settings"/> on both) and makes a
    /// tenant with <paramref name="credit"/> dollars through the first; returns the tenant's API key.</summary>
    private async Task<string> TwoInstancesWithTenantAsync(string number, decimal credit = 100, IReadOnlyDictionary<string, string>? settings = null)
    {
        var env = Environment();
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        instances.Add(await ParleyProcess.StartAsync(env));
        instances.Add(await ParleyProcess.StartAsync(env));
        using var admin = Client(0, "scale-admin");
        var tenant = await admin.PostJsonAsync("/api/admin/tenants", new { name = "Scale Realty", plan = "Scale", timeZone = "America/Toronto", a2pStatus = "Live" });
        var tenantId = tenant["id"]!.GetValue<string>();
        await admin.PostJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number });
        await admin.PostJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = credit });
        return tenant["apiKey"]!.GetValue<string>();
    }

    private HttpClient Client(int instance, string key)
    {
        var client = new HttpClient { BaseAddress = instances[instance].BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task Two_instances_share_the_work_and_every_contact_gets_one_reply_even_when_one_dies()
    {
        if (database is null)
        {
            return; // several instances need a shared PostgreSQL database
        }

        // A short lease, so the surviving instance soon takes over what the killed one had claimed.
        var key = await TwoInstancesWithTenantAsync("+14165557000", settings: new Dictionary<string, string> { ["Parley__Work__Lease"] = "00:00:03" });

        const int contacts = 16;
        var deliveries = Enumerable.Range(0, contacts).Select(async i =>
        {
            var json = telnyx.MessageReceivedJson($"evt-scale-{i}", $"msg-scale-{i}", $"+1416555{7100 + i}", "+14165557000", $"Hi, I'm contact {i}");
            // The same event to both instances, as a retry to the failover URL would do.
            var results = await Task.WhenAll(DeliverAsync(instances[i % 2].BaseAddress, json), DeliverAsync(instances[(i + 1) % 2].BaseAddress, json));
            Assert.Contains(true, results);
        }).ToList();

        await Task.Delay(300);
        instances[1].Kill(); // the other instance takes over its claims once their lease ends
        await Task.WhenAll(deliveries);

        using var client = Client(0, key);
        await Eventually.GetAsync(() => Task.FromResult(telnyx.Sends.Select(s => s.To).Distinct().Count()), n => n == contacts, TimeSpan.FromSeconds(45));
        await Task.Delay(1000);
        Assert.All(telnyx.Sends.GroupBy(s => s.To), g => Assert.Single(g));
        var conversations = await client.GetJsonAsync("/api/conversations");
        Assert.Equal(contacts, conversations.AsArray().Count);
    }

    [Fact]
    public async Task A_change_made_on_one_instance_reaches_event_streams_on_the_other()
    {
        if (database is null)
        {
            return; // several instances need a shared PostgreSQL database
        }

        var key = await TwoInstancesWithTenantAsync("+14165557500");

        using var watcher = new HttpClient { BaseAddress = instances[1].BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        watcher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var stream = await watcher.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());
        await Task.Delay(500); // the relay's LISTEN is up well before this; a margin for a loaded machine

        using var actor = Client(0, key);
        var conversation = await actor.PostJsonAsync("/api/conversations", new { to = "+14165557501", message = "Hello from instance A" });
        var id = conversation["id"]!.GetValue<string>();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && !line.Contains(id, StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        Assert.StartsWith("data:", line, StringComparison.Ordinal);
    }

    /// <summary>A count read from the shared database, with <c>@at</c> bound to <paramref name="at"/>.</summary>
    private async Task<long> CountAsync(string sql, DateTime? at = null)
    {
        await using var connection = new NpgsqlConnection(database!.Settings["ConnectionStrings:Parley"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("at", at ?? DateTime.UtcNow);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Work running or due within <paramref name="within"/> on either instance: none once both have done
    /// everything they will before a throttle's window frees up.</summary>
    private Task<long> WorkDueWithinAsync(TimeSpan within) =>
        CountAsync("""SELECT count(*) FROM "WorkItems" WHERE "Status" = 1 OR ("Status" = 0 AND "DueAtUtc" < @at)""", DateTime.UtcNow + within);

    /// <summary>Sessions of the instances waiting for a lock in the shared database.</summary>
    private Task<long> WaitingOnLocksAsync() =>
        CountAsync("""
            SELECT count(DISTINCT l.pid) FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
            WHERE NOT l.granted AND a.datname = current_database()
            """);

    // Campaigns count sends in the database (a sliding minute per number and per tenant, a rolling day). Two
    // campaigns of one tenant from one number come due at the same moment; each instance has one work loop, so each
    // takes one. A limit counted per process, or read by two dispatchers at once, lets both fill it: twice the limit.
    [Theory]
    [InlineData("PerNumberPerMinute")]
    [InlineData("DailyCap")]
    public async Task Two_campaigns_on_two_instances_send_no_more_than_the_tenants_limit(string limit)
    {
        if (database is null)
        {
            return; // several instances need a shared PostgreSQL database
        }

        const int allowed = 5;
        const int perCampaign = 6;
        var key = await TwoInstancesWithTenantAsync("+14165557600", settings: new Dictionary<string, string>
        {
            [$"Parley__Campaigns__{limit}"] = $"{allowed}",
            ["Parley__Work__Concurrency"] = "1",
        });
        using var first = Client(0, key);
        using var second = Client(1, key);
        var zone = Afternoon.Zone();
        var phones = Enumerable.Range(0, 2 * perCampaign).Select(i => $"+1416555{7610 + i}").ToList();
        foreach (var phone in phones)
        {
            await first.PostJsonAsync("/api/contacts", new { firstName = "Ana", phones = new[] { phone }, timeZone = zone });
        }

        var scheduledAt = DateTimeOffset.UtcNow.AddSeconds(5); // after both are started, even on a loaded machine
        var campaigns = new List<string>();
        foreach (var chunk in phones.Chunk(perCampaign))
        {
            var created = await first.PostJsonAsync("/api/campaigns", new { name = "Open house", message = "Hi {firstName}, open house Sat at {company}. Reply STOP to opt out.", recipients = chunk.Select(p => new { phone = p }), scheduledAt });
            campaigns.Add(created["id"]!.GetValue<string>());
        }

        await Task.WhenAll(first.PostJsonAsync($"/api/campaigns/{campaigns[0]}/start", new { }), second.PostJsonAsync($"/api/campaigns/{campaigns[1]}/start", new { }));

        // Once nothing is due within 10 s, both instances have dispatched and sent all they will before the window
        // frees up (a minute after the first send, or a day): a text over the limit would have gone out by now.
        // The wait ends well inside the first minute, so the minute's second batch cannot be mistaken for one.
        await Eventually.GetAsync(() => WorkDueWithinAsync(TimeSpan.FromSeconds(10)), n => n == 0 && telnyx.Sends.Count > 0, TimeSpan.FromSeconds(40));
        var sends = telnyx.Sends;
        var window = limit == "DailyCap" ? TimeSpan.FromDays(1) : TimeSpan.FromMinutes(1);
        Assert.Equal(allowed, sends.Max(s => sends.Count(o => o.ReceivedAt >= s.ReceivedAt && o.ReceivedAt < s.ReceivedAt + window)));
        Assert.Equal(allowed, sends.Count); // progress up to the limit, and not one text more
        Assert.Equal(sends.Count, sends.Select(s => s.To).Distinct().Count());
        var views = await Task.WhenAll(campaigns.Select(id => first.GetJsonAsync($"/api/campaigns/{id}")));
        Assert.All(views, v => Assert.Equal("Running", v["status"]!.GetValue<string>())); // waiting for the window, not stopped
        Assert.Equal(2 * perCampaign - allowed, views.Sum(v => v["counts"]!["queued"]!.GetValue<int>()));
    }

    [Fact]
    public async Task The_wallet_pays_for_no_more_ai_replies_than_its_credit_across_two_instances()
    {
        if (database is null)
        {
            return; // several instances need a shared PostgreSQL database
        }

        // One cent of credit at two cents a reply: the overdraft rule (charge only while the balance is above zero,
        // one charge at a time per tenant) admits exactly one reply and ends at −$0.01, less than one charge below
        // zero. Texts and segments are free here, so the balance measures the AI charges alone.
        const decimal credit = 0.01m;
        const decimal reply = 0.02m;
        const int contacts = 20;
        await using var model = await FakeChatCompletions.StartAsync();
        model.Hold();
        for (var i = 0; i < contacts; i++)
        {
            model.Reply(new { reply = "Thanks for writing! Who am I speaking with?", outcome = "Ongoing", contactFirstName = (string?)null, callbackAt = (string?)null });
        }

        var key = await TwoInstancesWithTenantAsync("+14165557800", credit, new Dictionary<string, string>
        {
            ["Parley__Billing__AiReplyMicros"] = "20000",
            ["Parley__Billing__InboundMicros"] = "0",
            ["Parley__Billing__SmsSegmentMicros"] = "0",
            ["Parley__Work__Concurrency"] = "1",
            ["Parley__Ai__Provider"] = "OpenAI",
            ["Parley__Ai__Endpoint"] = model.Endpoint.ToString(),
            ["Parley__Ai__ApiKey"] = "sk-test-key",
            ["Parley__Ai__Model"] = "gpt-test",
            ["Parley__Ai__Timeout"] = "00:00:30",
        });

        var delivered = await Task.WhenAll(Enumerable.Range(0, contacts).Select(i => DeliverAsync(
            instances[i % 2].BaseAddress,
            telnyx.MessageReceivedJson($"evt-wallet-{i}", $"msg-wallet-{i}", $"+1416555{7810 + i}", "+14165557800", $"Hi, I'm contact {i}"))));
        Assert.DoesNotContain(false, delivered);

        // Each instance's one work loop takes a turn and waits on the model. Both turns are let go while the ledger
        // is held for writes (a slow database), so both reach the charge before either can commit, and then go on
        // together: a charge serialised only within each process would take the one cent twice; serialised per
        // tenant in the database, the second waits and sees it spent.
        await Eventually.GetAsync(() => Task.FromResult(model.Requests.Count), n => n == 2, TimeSpan.FromSeconds(30));
        await using (var ledger = new NpgsqlConnection(database.Settings["ConnectionStrings:Parley"]))
        {
            await ledger.OpenAsync();
            await using var hold = await ledger.BeginTransactionAsync();
            await using (var lockLedger = new NpgsqlCommand("""LOCK TABLE "WalletEntries" IN SHARE MODE""", ledger, hold))
            {
                await lockLedger.ExecuteNonQueryAsync();
            }

            model.Release();
            await Eventually.GetAsync(WaitingOnLocksAsync, n => n >= 2, TimeSpan.FromSeconds(30));
            await hold.CommitAsync();
        }

        // Every contact's turn has run once its conversation shows a reply or a reply skipped for the empty wallet.
        using var client = Client(1, key);
        var conversations = await Eventually.GetAsync(
            () => client.GetJsonAsync("/api/conversations"),
            list => list.AsArray().Count == contacts && list.AsArray().All(c => c!["turns"]!.GetValue<int>() + c["skippedReplies"]!.GetValue<int>() > 0),
            TimeSpan.FromSeconds(45));
        var answered = conversations.AsArray().Where(c => c!["turns"]!.GetValue<int>() > 0).ToList();
        await Eventually.GetAsync(() => Task.FromResult(telnyx.Sends.Count), n => n >= answered.Count, TimeSpan.FromSeconds(15));

        var usage = await client.GetJsonAsync("/api/billing/usage");
        var charges = usage["aiReplies"]!["count"]!.GetValue<int>();
        var balance = usage["balance"]!.GetValue<decimal>();
        Assert.Equal(1, charges);
        Assert.Equal(credit - reply, balance); // below zero by less than one reply's charge
        Assert.Equal(charges, answered.Count);
        Assert.Equal(charges, telnyx.Sends.Count); // no reply without a charge
        var unanswered = conversations.AsArray().Except(answered).ToList();
        Assert.Equal(contacts - charges, unanswered.Count);
        Assert.All(unanswered, c => Assert.StartsWith("Wallet balance is empty", c!["notice"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        await telnyx.DisposeAsync();
        database?.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
