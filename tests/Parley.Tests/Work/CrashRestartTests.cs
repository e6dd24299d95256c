using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Bench;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Work;

/// <summary>
/// Parley as a real child process, killed with SIGKILL mid-flight and started again on the same database:
/// nothing is lost and nobody gets a text twice.
/// </summary>
public sealed class CrashRestartTests : IAsyncLifetime
{
    private const string AdminKey = "crash-admin-key";
    private readonly string folder = Directory.CreateTempSubdirectory("parley-crash-").FullName;
    private readonly int port = ParleyProcess.FreePort();
    private readonly TestDatabase database;
    private FakeTelnyx telnyx = null!;

    public CrashRestartTests() => database = new TestDatabase(folder);
    private ParleyProcess? parley;

    public async Task InitializeAsync() => telnyx = await FakeTelnyx.StartAsync();

    private Dictionary<string, string> Environment(double debounceSeconds)
    {
        var env = telnyx.AppSettings().ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        foreach (var (key, value) in database.Settings)
        {
            env[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        env["Parley__Work__Lease"] = "00:00:03"; // PostgreSQL: a killed instance's claims are taken over when their lease ends
        env["Parley__AdminApiKey"] = AdminKey;
        env["Parley__Agent__DebounceSeconds"] = debounceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Parley__Work__IdlePoll"] = "00:00:00.200";
        return env;
    }

    private async Task<ParleyProcess> StartAsync(double debounceSeconds = 0) =>
        parley = await ParleyProcess.StartAsync(Environment(debounceSeconds), port);

    private HttpClient Client(string key) => new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        Timeout = TimeSpan.FromSeconds(10),
    };

    private async Task<string> CreateTenantAsync(string number)
    {
        using var admin = Client(AdminKey);
        var tenant = await admin.PostJsonAsync("/api/admin/tenants", new { name = "Crash Realty", plan = "Growth", timeZone = "America/Toronto", a2pStatus = "Live" });
        await admin.PostJsonAsync($"/api/admin/tenants/{tenant["id"]!.GetValue<string>()}/phone-numbers", new { number });
        await admin.PostJsonAsync($"/api/admin/tenants/{tenant["id"]!.GetValue<string>()}/wallet/credits", new { amount = 50 });
        return tenant["apiKey"]!.GetValue<string>();
    }

    /// <summary>Delivers a webhook the way Telnyx does: retried until the app answers 2xx.</summary>
    private async Task DeliverAsync(string json)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
                using var request = telnyx.SignedWebhook(json);
                if ((await client.SendAsync(request)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < 900)
            {
            }
            catch (TaskCanceledException) when (attempt < 900)
            {
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_kill_while_the_carrier_holds_the_send_delivers_the_reply_once_after_restart()
    {
        await StartAsync();
        var key = await CreateTenantAsync("+14165550800");
        telnyx.Delay = TimeSpan.FromSeconds(30); // the carrier takes the text, the answer never arrives
        await DeliverAsync(telnyx.MessageReceivedJson("evt-crash-1", "msg-crash-1", "+14165550801", "+14165550800", "Hi, still selling?"));
        await Eventually.GetAsync(() => Task.FromResult(telnyx.Sends.Count), n => n == 1, TimeSpan.FromSeconds(60));

        parley!.Kill();
        telnyx.Delay = TimeSpan.Zero;
        await StartAsync();

        using var tenant = Client(key);
        var conversation = (await Eventually.GetAsync(() => tenant.GetJsonAsync("/api/conversations"), l => l.AsArray().Count == 1, TimeSpan.FromSeconds(60)))[0]!;
        var messages = await Eventually.GetAsync(
            () => tenant.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}/messages"),
            m => m.AsArray().Count == 2 && m[1]!["status"]!.GetValue<string>() == "Queued",
            TimeSpan.FromSeconds(60));
        Assert.Equal("Inbound", messages[0]!["direction"]!.GetValue<string>());
        Assert.Single(telnyx.Sends);
        Assert.True(telnyx.RequestCount >= 2, "the send was retried after the restart, with the same idempotency key");
    }

    [Fact]
    public async Task Kills_at_random_moments_during_a_burst_lose_nothing_and_send_nothing_twice()
    {
        await StartAsync(debounceSeconds: 0.3);
        var key = await CreateTenantAsync("+14165550900");
        const int contacts = 12;
        var random = new Random(20261121);

        var deliveries = Enumerable.Range(0, contacts).Select(async i =>
        {
            await Task.Delay(random.Next(0, 600));
            await DeliverAsync(telnyx.MessageReceivedJson($"evt-burst-{i}", $"msg-burst-{i}", $"+1416555{1000 + i}", "+14165550900", $"Hello, this is contact {i}"));
        }).ToList();

        for (var kill = 0; kill < 3; kill++)
        {
            await Task.Delay(random.Next(100, 500));
            parley!.Kill();
            await Task.Delay(random.Next(50, 300));
            await StartAsync(debounceSeconds: 0.3);
        }

        await Task.WhenAll(deliveries);
        using var tenant = Client(key);
        var conversations = await Eventually.GetAsync(() => tenant.GetJsonAsync("/api/conversations"), l => l.AsArray().Count == contacts, TimeSpan.FromSeconds(60));
        foreach (var conversation in conversations.AsArray())
        {
            var messages = await Eventually.GetAsync(
                () => tenant.GetJsonAsync($"/api/conversations/{conversation!["id"]!.GetValue<string>()}/messages"),
                m => m.AsArray().Count == 2 && m[1]!["status"]!.GetValue<string>() == "Queued",
                TimeSpan.FromSeconds(60));
            Assert.Equal(["Inbound", "Outbound"], messages.AsArray().Select(m => m!["direction"]!.GetValue<string>()));
        }

        await Task.Delay(500);
        var perContact = telnyx.Sends.GroupBy(s => s.To).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(contacts, perContact.Count);
        Assert.All(perContact, kv => Assert.Equal(1, kv.Value));
    }

    [Fact]
    public async Task A_kill_mid_batch_keeps_every_answered_webhook_once_and_a_resend_stores_each_other_once()
    {
        await StartAsync(debounceSeconds: 60); // the agent stays out of the way: this is about ingest
        await CreateTenantAsync("+14165550700");
        const int total = 600;
        static string EventId(int i) => $"evt-kill-{i:D4}";
        static string MessageId(int i) => $"msg-kill-{i:D4}";
        string Json(int i) => telnyx.MessageReceivedJson(EventId(i), MessageId(i), $"+1647555{i:D4}", "+14165550700", "Hi, is the house still for sale?");

        // Senders keep 24 webhooks in flight, so the batcher is always committing one batch while the next fills;
        // the kill comes once a quarter are answered, in the middle of that.
        var answered = new bool[total];
        var answeredCount = 0;
        var next = -1;
        var quarterAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        var senders = Enumerable.Range(0, 24).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                try
                {
                    using var request = telnyx.SignedWebhook(Json(i));
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == System.Net.HttpStatusCode.OK)
                    {
                        answered[i] = true;
                        if (Interlocked.Increment(ref answeredCount) == total / 4)
                        {
                            quarterAnswered.TrySetResult();
                        }
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
            }
        }).ToList();
        await quarterAnswered.Task.WaitAsync(TimeSpan.FromMinutes(3));
        parley!.Kill();
        await Task.WhenAll(senders);
        var acknowledged = Enumerable.Range(0, total).Where(i => answered[i]).ToList();
        var unanswered = Enumerable.Range(0, total).Where(i => !answered[i]).ToList();
        Assert.NotEmpty(unanswered);

        await StartAsync(debounceSeconds: 60);
        await using (var db = database.OpenContext())
        {
            var stored = (await db.WebhookEvents.Where(e => e.EventId.StartsWith("evt-kill-")).Select(e => e.EventId).ToListAsync()).ToLookup(id => id);
            Assert.All(acknowledged, i => Assert.Single(stored[EventId(i)]));
        }

        foreach (var i in unanswered)
        {
            await DeliverAsync(Json(i)); // Telnyx sends again whatever was not answered 2xx
        }

        await using (var db = database.OpenContext())
        {
            var stored = (await db.WebhookEvents.Where(e => e.EventId.StartsWith("evt-kill-")).Select(e => e.EventId).ToListAsync()).ToLookup(id => id);
            var work = (await db.WorkItems.Where(w => w.Kind == "inbound.sms").Select(w => w.Payload).ToListAsync())
                .Select(p => System.Text.RegularExpressions.Regex.Match(p, "msg-kill-[0-9]{4}").Value).ToLookup(id => id);
            Assert.All(Enumerable.Range(0, total), i =>
            {
                Assert.Single(stored[EventId(i)]);
                Assert.Single(work[MessageId(i)]);
            });
        }
    }

    public async Task DisposeAsync()
    {
        if (parley is not null)
        {
            await parley.DisposeAsync();
        }

        await telnyx.DisposeAsync();
        database.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
