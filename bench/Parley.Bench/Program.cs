using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Bench;
using Parley.Data;
using Parley.Tests.Fakes;

// Drives the real Parley over loopback and prints each figure beside a bare Kestrel endpoint measured in
// the same run, so the ratio means something on any machine.
//   dotnet run -c Release --project bench/Parley.Bench [-- --webhooks 3000 --concurrency 32 --turns 200 --search 100000]
//   (--search-only runs just the search comparison; --knowledge-only [--knowledge 10000] just knowledge retrieval)
var webhooks = Option("--webhooks", 3000);
var searchMessages = Option("--search", 100_000);
var knowledgeEntries = Option("--knowledge", 10_000);
var concurrency = Option("--concurrency", 32);
var turns = Option("--turns", 200);
var campaignSize = Option("--campaign", 1000);
const int driftPerMinute = 120; // the drift run: 1.5 minutes' worth of texts, so the second minute's window must open on time

await using var telnyx = await FakeTelnyx.StartAsync();
var folder = Directory.CreateTempSubdirectory("parley-bench-").FullName;
var env = telnyx.AppSettings().ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
// PARLEY_BENCH_POSTGRES=<connection string to an empty database> runs Parley on PostgreSQL instead of SQLite.
var postgres = Environment.GetEnvironmentVariable("PARLEY_BENCH_POSTGRES");
env["ConnectionStrings__Parley"] = string.IsNullOrWhiteSpace(postgres) ? $"Data Source={Path.Combine(folder, "parley.db")}" : postgres;
if (!string.IsNullOrWhiteSpace(postgres))
{
    env["Parley__Database__Provider"] = "Postgres";
}

Func<Parley.Accounts.TenantScope, ParleyDb> searchOptions = string.IsNullOrWhiteSpace(postgres)
    ? scope => new SqliteParleyDb(new DbContextOptionsBuilder<SqliteParleyDb>().UseSqlite($"Data Source={Path.Combine(folder, "search.db")}").Options, scope, new Parley.Work.WorkSignal())
    : scope => new PostgresParleyDb(new DbContextOptionsBuilder<PostgresParleyDb>().UseNpgsql(postgres).Options, scope, new Parley.Work.WorkSignal());
if (args.Contains("--search-only"))
{
    await SearchBench.RunAsync(searchOptions, searchMessages);
    return;
}

if (args.Contains("--knowledge-only"))
{
    await KnowledgeBench.RunAsync(searchOptions, knowledgeEntries);
    return;
}

env["Parley__AdminApiKey"] = "bench-admin";
env["Parley__Agent__DebounceSeconds"] = "0";
env["Parley__Campaigns__PerNumberPerMinute"] = "1000000"; // throughput run: the limits out of the way
env["Parley__Campaigns__PerTenantPerMinute"] = "1000000";
env["Parley__Campaigns__DailyCap"] = "1000000";
env["Parley__Campaigns__BatchSize"] = "100";
await using var parley = await ParleyProcess.StartAsync(env);
await using var bare = await BareRelay.StartAsync(telnyx.BaseUrl, telnyx.ApiKey);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { Timeout = TimeSpan.FromSeconds(30) };
const string tenantNumber = "+14165550100";
var tenantKey = await CreateTenantAsync(http, parley.BaseAddress, tenantNumber);

Console.WriteLine($"Parley bench: {webhooks} signed webhooks at concurrency {concurrency}; {turns} sequential inbound→send turns.");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {(string.IsNullOrWhiteSpace(postgres) ? "SQLite" : "PostgreSQL")}; Parley in its own process, baseline in-process.");
Console.WriteLine();

// Warm both paths so JIT and connection set-up are not measured.
await IngestAsync(bare.BaseAddress, "warm-bare", 200, concurrency);
await IngestAsync(parley.BaseAddress, "warm-parley", 200, concurrency);
await TurnsAsync(bare.BaseAddress, "warm-bare-turn", 20);
await TurnsAsync(parley.BaseAddress, "warm-parley-turn", 20);

var bareIngest = await IngestAsync(bare.BaseAddress, "bare", webhooks, concurrency);
var parleyIngest = await IngestAsync(parley.BaseAddress, "parley", webhooks, concurrency);
// The ingest left a reply queued for every webhook (and the warm-up's); latency is measured once they are out.
await DrainAsync(expected: webhooks + 200 + 20);
var bareTurns = await TurnsAsync(bare.BaseAddress, "bare-turn", turns);
var parleyTurns = await TurnsAsync(parley.BaseAddress, "parley-turn", turns);

Console.WriteLine($"{"measure",-34}{"Parley",12}{"bare Kestrel",14}{"ratio",8}");
Row("webhook ingest rate (req/s)", parleyIngest.Rate, bareIngest.Rate);
Row("webhook ingest p50 (ms)", parleyIngest.P50, bareIngest.P50);
Row("webhook ingest p99 (ms)", parleyIngest.P99, bareIngest.P99);
Row("inbound → carrier send p50 (ms)", parleyTurns.P50, bareTurns.P50);
Row("inbound → carrier send p99 (ms)", parleyTurns.P99, bareTurns.P99);
var campaign = await CampaignAsync(http, parley.BaseAddress, tenantKey, campaignSize, TimeSpan.FromMinutes(2));
var bareBlast = await BlastAsync(campaign.Sent);
Console.WriteLine($"{"campaign dispatch (texts/s)",-34}{campaign.Sent / campaign.Seconds,12:0.0}{bareBlast,14:0.0}{(bareBlast == 0 ? 0 : campaign.Sent / campaign.Seconds / bareBlast),8:0.00}");

// Scheduler drift: a second Parley limited to driftPerMinute per number sends 1.5 minutes' worth; the last
// third can only go when the next minute's window opens, so the run should end just after 60 s.
env["Parley__Campaigns__PerNumberPerMinute"] = driftPerMinute.ToString(CultureInfo.InvariantCulture);
env["ConnectionStrings__Parley"] = string.IsNullOrWhiteSpace(postgres) ? $"Data Source={Path.Combine(folder, "drift.db")}" : postgres;
double driftSeconds;
await using (var limited = await ParleyProcess.StartAsync(env))
{
    var limitedKey = await CreateTenantAsync(http, limited.BaseAddress, "+14165550200");
    var drift = await CampaignAsync(http, limited.BaseAddress, limitedKey, driftPerMinute * 3 / 2, TimeSpan.FromMinutes(3));
    driftSeconds = drift.Seconds - 60;
}

Console.WriteLine();
Console.WriteLine($"Campaign: {campaign.Sent} of {campaignSize} texts reached the carrier in {campaign.Seconds:0.0} s with the limits out of the way.");
Console.WriteLine($"Scheduler drift: {driftPerMinute * 3 / 2} texts at {driftPerMinute}/min finished {driftSeconds:+0.0;-0.0} s after the second minute opened.");
Console.WriteLine($"Webhook answers over 2 s (Telnyx's limit): Parley {parleyIngest.Over2s}, bare {bareIngest.Over2s}; failed requests: Parley {parleyIngest.Failures}, bare {bareIngest.Failures}.");
await SearchBench.RunAsync(searchOptions, searchMessages);
try
{
    Directory.Delete(folder, recursive: true);
}
catch (IOException)
{
}

return;

async Task<Stats> IngestAsync(Uri target, string tag, int count, int parallel)
{
    var latencies = new double[count];
    var failures = 0;
    var next = -1;
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, parallel).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var json = telnyx.MessageReceivedJson($"evt-{tag}-{i}", $"msg-{tag}-{i}", $"+1647{(5550000 + (i % 9000)).ToString(CultureInfo.InvariantCulture)}", tenantNumber, "Hi, is this still available?");
            using var request = telnyx.SignedWebhook(json);
            request.RequestUri = new Uri(target, "/webhooks/telnyx");
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
            }
        }
    });
    await Task.WhenAll(workers);
    clock.Stop();
    return Stats.Of(latencies, count / clock.Elapsed.TotalSeconds, failures);
}

async Task<Stats> TurnsAsync(Uri target, string tag, int count)
{
    var latencies = new double[count];
    for (var i = 0; i < count; i++)
    {
        var contact = $"+1905{(5550000 + i).ToString(CultureInfo.InvariantCulture)}";
        var before = telnyx.Sends.Count(s => s.To == contact);
        var json = telnyx.MessageReceivedJson($"evt-{tag}-{i}", $"msg-{tag}-{i}", contact, tenantNumber, "Hi, I saw your sign on Elm Street");
        using var request = telnyx.SignedWebhook(json);
        request.RequestUri = new Uri(target, "/webhooks/telnyx");
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (telnyx.Sends.Count(s => s.To == contact) == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1);
        }

        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    return Stats.Of(latencies, count, 0);
}

// A campaign to recipients whose local time is inside the quiet-hours window now (quiet hours would
// otherwise hold every text), timed from start until the carrier has all of them.
async Task<(int Sent, double Seconds)> CampaignAsync(HttpClient client, Uri target, string key, int size, TimeSpan limit)
{
    var zones = new (string Prefix, string Zone)[]
    {
        ("+1416555", "America/Toronto"), ("+1808555", "Pacific/Honolulu"), ("+44207946", "Europe/London"),
        ("+6129876", "Australia/Sydney"), ("+8133123", "Asia/Tokyo"), ("+91226612", "Asia/Kolkata"),
    };
    var prefix = zones.FirstOrDefault(z => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(z.Zone)).Hour is >= 10 and < 19).Prefix ?? zones[0].Prefix;
    var recipients = Enumerable.Range(0, size).Select(i => new { phone = $"{prefix}{(1000 + i).ToString("D4", CultureInfo.InvariantCulture)}", firstName = "Sam" }).ToArray();
    using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(target, "/api/campaigns"))
    {
        Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { name = "Bench", message = "Hi {firstName}, open house Saturday. Reply STOP to opt out.", aiEnabled = false, recipients }), Encoding.UTF8, "application/json"),
    };
    create.Headers.Authorization = new("Bearer", key);
    using var created = await client.SendAsync(create);
    created.EnsureSuccessStatusCode();
    var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
    var before = telnyx.Sends.Count;
    using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(target, $"/api/campaigns/{id}/start"));
    start.Headers.Authorization = new("Bearer", key);
    var clock = Stopwatch.StartNew();
    (await client.SendAsync(start)).EnsureSuccessStatusCode();
    while (telnyx.Sends.Count - before < size && clock.Elapsed < limit)
    {
        await Task.Delay(20);
    }

    return (telnyx.Sends.Count - before, clock.Elapsed.TotalSeconds);
}

async Task DrainAsync(int expected)
{
    var deadline = DateTime.UtcNow.AddMinutes(3);
    while (telnyx.Sends.Count < expected && DateTime.UtcNow < deadline)
    {
        await Task.Delay(250);
    }

    await Task.Delay(1000);
}

// The baseline: the same number of sends posted straight to the carrier from one loop, no storage.
async Task<double> BlastAsync(int count)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        using var send = new HttpRequestMessage(HttpMethod.Post, new Uri(telnyx.BaseUrl, "/v2/messages"))
        {
            Content = new StringContent($$"""{"from":"{{tenantNumber}}","to":"+1647555{{(1000 + (i % 9000)).ToString(CultureInfo.InvariantCulture)}}","text":"Hi Sam, open house Saturday."}""", Encoding.UTF8, "application/json"),
        };
        send.Headers.Authorization = new("Bearer", telnyx.ApiKey);
        (await http.SendAsync(send)).EnsureSuccessStatusCode();
    }

    return count / clock.Elapsed.TotalSeconds;
}

static async Task<string> CreateTenantAsync(HttpClient http, Uri parley, string number)
{
    using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(parley, "/api/admin/tenants"))
    {
        Content = new StringContent("""{"name":"Bench Realty","plan":"Scale","timeZone":"America/Toronto","a2pStatus":"Live"}""", Encoding.UTF8, "application/json"),
    };
    create.Headers.Authorization = new("Bearer", "bench-admin");
    using var created = await http.SendAsync(create);
    created.EnsureSuccessStatusCode();
    using var createdJson = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
    var id = createdJson.RootElement.GetProperty("id").GetString();
    var apiKey = createdJson.RootElement.GetProperty("apiKey").GetString()!;
    using var add = new HttpRequestMessage(HttpMethod.Post, new Uri(parley, $"/api/admin/tenants/{id}/phone-numbers"))
    {
        Content = new StringContent($$"""{"number":"{{number}}"}""", Encoding.UTF8, "application/json"),
    };
    add.Headers.Authorization = new("Bearer", "bench-admin");
    (await http.SendAsync(add)).EnsureSuccessStatusCode();
    using var credit = new HttpRequestMessage(HttpMethod.Post, new Uri(parley, $"/api/admin/tenants/{id}/wallet/credits"))
    {
        Content = new StringContent("""{"amount":10000}""", Encoding.UTF8, "application/json"),
    };
    credit.Headers.Authorization = new("Bearer", "bench-admin");
    (await http.SendAsync(credit)).EnsureSuccessStatusCode();
    return apiKey;
}

static void Row(string name, double parley, double bare) =>
    Console.WriteLine($"{name,-34}{parley,12:0.0}{bare,14:0.0}{(bare == 0 ? 0 : parley / bare),8:0.00}");

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

internal sealed record Stats(double Rate, double P50, double P99, int Over2s, int Failures)
{
    public static Stats Of(double[] latencies, double rate, int failures)
    {
        var sorted = latencies.Order().ToArray();
        return new Stats(rate, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Count(l => l > 2000), failures);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>The baseline: a bare Kestrel endpoint that reads the webhook and relays one send to the carrier,
/// with no signature check, no storage and no queue — the floor any webhook-to-SMS service sits on.</summary>
internal sealed class BareRelay : IAsyncDisposable
{
    private readonly WebApplication app;

    private BareRelay(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<BareRelay> StartAsync(Uri carrier, string apiKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHttpClient("carrier", c =>
        {
            c.BaseAddress = carrier;
            c.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        });
        var app = builder.Build();
        app.MapPost("/webhooks/telnyx", async (HttpRequest request, IHttpClientFactory clients) =>
        {
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            var payload = doc.RootElement.GetProperty("data").GetProperty("payload");
            var from = payload.GetProperty("from").GetProperty("phone_number").GetString();
            var to = payload.GetProperty("to")[0].GetProperty("phone_number").GetString();
            if (doc.RootElement.GetProperty("data").GetProperty("id").GetString()!.Contains("turn", StringComparison.Ordinal))
            {
                using var send = await clients.CreateClient("carrier").PostAsync(new Uri("/v2/messages", UriKind.Relative), new StringContent(
                    System.Text.Json.JsonSerializer.Serialize(new { from = to, to = from, text = "Thanks! When is a good time for a quick call?" }), Encoding.UTF8, "application/json"));
            }

            return Results.Ok(new { status = "accepted" });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new BareRelay(app, new Uri(address));
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
