using System.Net.Http.Headers;
using Parley.Bench;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Work;

/// <summary>
/// Two Parley processes on one PostgreSQL database behind an imaginary load balancer: webhooks go to
/// either, the same event goes to both (a retry to the failover URL), and one instance is killed mid-run.
/// Every contact still gets exactly one reply. Runs in the PostgreSQL pass of <c>.ci/run</c>.
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
        env["Parley__Work__Lease"] = "00:00:03";
        env["Parley__Work__IdlePoll"] = "00:00:00.200";
        return env;
    }

    private static async Task<bool> DeliverAsync(Uri instance, HttpRequestMessage request)
    {
        using var client = new HttpClient { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await client.SendAsync(request)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Starts two instances on the shared database and makes a funded tenant through the first;
    /// returns the tenant's API key.</summary>
    private async Task<string> TwoInstancesWithTenantAsync(string number)
    {
        instances.Add(await ParleyProcess.StartAsync(Environment()));
        instances.Add(await ParleyProcess.StartAsync(Environment()));
        using var admin = new HttpClient { BaseAddress = instances[0].BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scale-admin");
        var tenant = await admin.PostJsonAsync("/api/admin/tenants", new { name = "Scale Realty", plan = "Scale", timeZone = "America/Toronto", a2pStatus = "Live" });
        var tenantId = tenant["id"]!.GetValue<string>();
        await admin.PostJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number });
        await admin.PostJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 100 });
        return tenant["apiKey"]!.GetValue<string>();
    }

    [Fact]
    public async Task Two_instances_share_the_work_and_every_contact_gets_one_reply_even_when_one_dies()
    {
        if (database is null)
        {
            return; // several instances need a shared PostgreSQL database
        }

        var key = await TwoInstancesWithTenantAsync("+14165557000");

        const int contacts = 16;
        var deliveries = Enumerable.Range(0, contacts).Select(async i =>
        {
            var json = telnyx.MessageReceivedJson($"evt-scale-{i}", $"msg-scale-{i}", $"+1416555{7100 + i}", "+14165557000", $"Hi, I'm contact {i}");
            // The same event to both instances, as a retry to the failover URL would do.
            var first = instances[i % 2].BaseAddress;
            var second = instances[(i + 1) % 2].BaseAddress;
            using var a = telnyx.SignedWebhook(json);
            using var b = telnyx.SignedWebhook(json);
            var results = await Task.WhenAll(DeliverAsync(first, a), DeliverAsync(second, b));
            Assert.Contains(true, results);
        }).ToList();

        await Task.Delay(300);
        instances[1].Kill(); // the other instance takes over its claims once their lease ends
        await Task.WhenAll(deliveries);

        using var client = new HttpClient { BaseAddress = instances[0].BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
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

        using var actor = new HttpClient { BaseAddress = instances[0].BaseAddress };
        actor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
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
