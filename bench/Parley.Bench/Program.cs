using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Bench;
using Parley.Data;
using Parley.Tests.Fakes;

// Drives the real Parley over loopback and prints each figure beside its baseline measured in the same run, so
// the ratio means something on any machine. The ingest baseline is the floor: a minimal Kestrel endpoint that
// reads the body and verifies the Ed25519 signature with NSec (Floor.cs).
//   dotnet run -c Release --project bench/Parley.Bench [-- --only ingest,fairness] [--webhooks 3000 --concurrency 32
//     --turns 200 --campaign 1000 --fairness-campaign 3000 --fairness-turns 100 --search 100000 --export 1000000
//     --warm 2000]
//   parts: ingest, turns, campaign (with the scheduler drift run), fairness, search, knowledge, export
//   (--search-only and --knowledge-only still run just those)
var webhooks = Option("--webhooks", 3000);
var searchMessages = Option("--search", 100_000);
var knowledgeEntries = Option("--knowledge", 10_000);
var concurrency = Option("--concurrency", 32);
var turns = Option("--turns", 200);
var campaignSize = Option("--campaign", 1000);
var fairnessCampaign = Option("--fairness-campaign", 3000);
var fairnessTurns = Option("--fairness-turns", 100);
var exportConversations = Option("--export", 1_000_000);
var warmWebhooks = Option("--warm", 2000);
const int driftPerMinute = 120; // the drift run: 1.5 minutes' worth of texts, so the second minute's window must open on time
var onlyIndex = Array.IndexOf(args, "--only");
string[] parts = args.Contains("--search-only") ? ["search"]
    : args.Contains("--knowledge-only") ? ["knowledge"]
    : onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
    : ["ingest", "turns", "campaign", "fairness", "export", "search"];
bool Runs(string part) => parts.Contains(part, StringComparer.OrdinalIgnoreCase);

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
Console.WriteLine($"Parley bench ({string.Join(", ", parts)}): {Environment.ProcessorCount} cores, .NET {Environment.Version}; {(string.IsNullOrWhiteSpace(postgres) ? "SQLite" : "PostgreSQL")}; load average {Load.LoadAverage()} at start.");
if (Runs("knowledge"))
{
    await KnowledgeBench.RunAsync(searchOptions, knowledgeEntries);
}

if (parts.Any(p => p is "ingest" or "turns" or "campaign" or "fairness" or "export"))
{
    await RunLiveAsync();
}

if (Runs("search"))
{
    await SearchBench.RunAsync(searchOptions, searchMessages);
}

Console.WriteLine($"Load average {Load.LoadAverage()} at the end.");
try
{
    Directory.Delete(folder, recursive: true);
}
catch (IOException)
{
}

return;

async Task RunLiveAsync()
{
    env["Parley__AdminApiKey"] = "bench-admin";
    env["Parley__Agent__DebounceSeconds"] = "0";
    env["Parley__Campaigns__PerNumberPerMinute"] = "1000000"; // throughput runs: the limits out of the way
    env["Parley__Campaigns__PerTenantPerMinute"] = "1000000";
    env["Parley__Campaigns__DailyCap"] = "1000000";
    env["Parley__Campaigns__BatchSize"] = "100";
    await using var parley = await ParleyProcess.StartAsync(env);
    await using var floor = await Floor.StartAsync(telnyx.BaseUrl, telnyx.ApiKey, telnyx.PublicKeyBase64);
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { Timeout = TimeSpan.FromSeconds(30) };
    var load = new Load(telnyx, http);
    const string tenantNumber = "+14165550100";
    await CreateTenantAsync(http, parley.BaseAddress, tenantNumber);
    var idleRss = parley.ResidentBytes();

    // Warm both paths until the runtime's tiered compilation has settled, as on a server that has been up a while:
    // a short warm-up left a quarter of Parley's CPU in the measured run to the JIT recompiling hot methods.
    await load.IngestAsync(floor.BaseAddress, tenantNumber, "warm-floor", warmWebhooks, concurrency);
    await load.IngestAsync(parley.BaseAddress, tenantNumber, "warm-parley", warmWebhooks, concurrency);
    await load.TurnsAsync(floor.BaseAddress, tenantNumber, "+1905", "warm-floor-turn", 20);
    await load.TurnsAsync(parley.BaseAddress, tenantNumber, "+1905", "warm-parley-turn", 20);
    var queued = warmWebhooks + 20;
    await DrainAsync(queued); // the replies to the warm-up run too, so their code is warm and out of the way
    await load.IngestAsync(parley.BaseAddress, tenantNumber, "warm-parley-2", warmWebhooks / 2, concurrency);
    queued += warmWebhooks / 2;
    await DrainAsync(queued);
    Console.WriteLine();
    Load.Header();
    if (Runs("ingest"))
    {
        var floorIngest = await load.IngestAsync(floor.BaseAddress, tenantNumber, "floor", webhooks, concurrency);
        Stats parleyIngest;
        long ingestRss;
        using (var sampler = parley.SampleResident())
        {
            parleyIngest = await load.IngestAsync(parley.BaseAddress, tenantNumber, "parley", webhooks, concurrency);
            ingestRss = sampler.Peak;
        }

        queued += webhooks;
        Load.Row($"signed webhook ingest (req/s, {concurrency} at once)", parleyIngest.Rate, floorIngest.Rate);
        Load.Row("webhook answer p50 (ms)", parleyIngest.P50, floorIngest.P50);
        Load.Row("webhook answer p99 (ms)", parleyIngest.P99, floorIngest.P99);
        Console.WriteLine($"  answers over 2 s: Parley {parleyIngest.Over2s}, floor {floorIngest.Over2s}; non-2xx: Parley {parleyIngest.Failures}, floor {floorIngest.Failures}");
        Console.WriteLine($"  Parley RSS idle {idleRss / 1048576.0:0} MB (after start-up), peak during ingest {ingestRss / 1048576.0:0} MB, growth {(ingestRss - idleRss) / 1048576.0:0} MB.");
    }

    // Every ingested text leaves a reply queued; latency is measured once they are out.
    if (Runs("turns") || Runs("fairness"))
    {
        await DrainAsync(queued);
    }

    if (Runs("turns"))
    {
        var floorTurns = await load.TurnsAsync(floor.BaseAddress, tenantNumber, "+1905", "floor-turn", turns);
        var parleyTurns = await load.TurnsAsync(parley.BaseAddress, tenantNumber, "+1905", "parley-turn", turns);
        Load.Row("inbound → carrier send p50 (ms)", parleyTurns.P50, floorTurns.P50);
        Load.Row("inbound → carrier send p99 (ms)", parleyTurns.P99, floorTurns.P99);
    }

    if (Runs("fairness"))
    {
        await FairnessAsync(http, load, parley.BaseAddress, tenantNumber);
    }

    if (Runs("export"))
    {
        var (exportTenant, exportKey) = await CreateTenantWithIdAsync(http, parley.BaseAddress, "+14165550300");
        await ExportBench.RunAsync(http, parley, env["ConnectionStrings__Parley"], !string.IsNullOrWhiteSpace(postgres), exportTenant, exportKey, exportConversations);
    }

    if (Runs("campaign"))
    {
        const string campaignNumber = "+14165550110";
        var tenantKey = await CreateTenantAsync(http, parley.BaseAddress, campaignNumber);
        var campaign = await CampaignAsync(http, parley.BaseAddress, tenantKey, campaignNumber, campaignSize, TimeSpan.FromMinutes(2));
        var blast = await BlastAsync(http, campaignNumber, campaign.Sent);
        Load.Row("campaign dispatch (texts/s)", campaign.Sent / campaign.Seconds, blast);
        Console.WriteLine($"  {campaign.Sent} of {campaignSize} texts reached the carrier in {campaign.Seconds:0.0} s with the limits out of the way.");
        await DriftAsync(http);
    }
}

// Another tenant's texts, one at a time, answered while one tenant's big campaign dispatches at full speed;
// the baseline is the same texts on the same Parley when it is quiet.
async Task FairnessAsync(HttpClient http, Load load, Uri parley, string tenantNumber)
{
    var quiet = await load.TurnsAsync(parley, tenantNumber, "+1289", "quiet-turn", fairnessTurns);
    const string campaignNumber = "+14165550120";
    var campaignKey = await CreateTenantAsync(http, parley, campaignNumber);
    var campaign = CampaignAsync(http, parley, campaignKey, campaignNumber, fairnessCampaign, TimeSpan.FromMinutes(5));
    while (telnyx.SendCountFrom(campaignNumber) < 100 && !campaign.IsCompleted)
    {
        await Task.Delay(5); // the campaign is under way
    }

    var busy = await load.TurnsAsync(parley, tenantNumber, "+1226", "busy-turn", fairnessTurns);
    var stillSending = !campaign.IsCompleted;
    var dispatched = await campaign;
    Load.Row("other tenant's reply in a campaign p50 (ms)", busy.P50, quiet.P50);
    Load.Row("other tenant's reply in a campaign p99 (ms)", busy.P99, quiet.P99);
    Console.WriteLine($"  baseline: the same texts on the same Parley, quiet. The campaign: {dispatched.Sent} texts at {dispatched.Sent / dispatched.Seconds:0} texts/s, "
        + (stillSending ? "still sending when the last reply went out." : "FINISHED before the last reply: raise --fairness-campaign."));
}

async Task DriftAsync(HttpClient http)
{
    // Scheduler drift: a second Parley limited to driftPerMinute per number sends 1.5 minutes' worth; the last
    // third can only go when the next minute's window opens, so the run should end just after 60 s.
    env["Parley__Campaigns__PerNumberPerMinute"] = driftPerMinute.ToString(CultureInfo.InvariantCulture);
    env["ConnectionStrings__Parley"] = string.IsNullOrWhiteSpace(postgres) ? $"Data Source={Path.Combine(folder, "drift.db")}" : postgres;
    await using var limited = await ParleyProcess.StartAsync(env);
    const string driftNumber = "+14165550200";
    var limitedKey = await CreateTenantAsync(http, limited.BaseAddress, driftNumber);
    var drift = await CampaignAsync(http, limited.BaseAddress, limitedKey, driftNumber, driftPerMinute * 3 / 2, TimeSpan.FromMinutes(3));
    Console.WriteLine($"  scheduler drift: {driftPerMinute * 3 / 2} texts at {driftPerMinute}/min finished {drift.Seconds - 60:+0.0;-0.0} s after the second minute opened.");
}

// A campaign to recipients whose local time is inside the quiet-hours window now (quiet hours would
// otherwise hold every text), timed from start until the carrier has all of them.
async Task<(int Sent, double Seconds)> CampaignAsync(HttpClient client, Uri target, string key, string from, int size, TimeSpan limit)
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
    var before = telnyx.SendCountFrom(from);
    using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(target, $"/api/campaigns/{id}/start"));
    start.Headers.Authorization = new("Bearer", key);
    var clock = Stopwatch.StartNew();
    (await client.SendAsync(start)).EnsureSuccessStatusCode();
    while (telnyx.SendCountFrom(from) - before < size && clock.Elapsed < limit)
    {
        await Task.Delay(20);
    }

    return (telnyx.SendCountFrom(from) - before, clock.Elapsed.TotalSeconds);
}

async Task DrainAsync(int expected)
{
    var deadline = DateTime.UtcNow.AddMinutes(3);
    while (telnyx.SendCount < expected && DateTime.UtcNow < deadline)
    {
        await Task.Delay(250);
    }

    await Task.Delay(1000);
}

// The baseline: the same number of sends posted straight to the carrier from one loop, no storage.
async Task<double> BlastAsync(HttpClient http, string tenantNumber, int count)
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

static async Task<string> CreateTenantAsync(HttpClient http, Uri parley, string number) => (await CreateTenantWithIdAsync(http, parley, number)).ApiKey;

static async Task<(Guid Id, string ApiKey)> CreateTenantWithIdAsync(HttpClient http, Uri parley, string number)
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
    return (Guid.Parse(id!), apiKey);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
