using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Knowledge.Import;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Knowledge.Import;

/// <summary>Web pages as knowledge through the real API, fetched from a real local site.</summary>
public sealed class ImportUrlApiTests(ImportApp app) : IClassFixture<ImportApp>
{
    private static int nextNumber = 3100;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref nextNumber):D4}";

    [Fact]
    public async Task A_page_becomes_a_source_with_an_entry_per_heading_and_a_scheduled_refetch()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        var response = await tenant.Http.PostAsJsonAsync("/api/knowledge/urls", new { url = app.Site.Url("/faq").ToString() });

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var source = await response.ReadJsonAsync();
        Assert.Equal("Url", source["kind"]!.GetValue<string>());
        Assert.Equal("Maple Home Buyers FAQ", source["name"]!.GetValue<string>());
        Assert.Equal(2, source["entryCount"]!.GetValue<int>());
        Assert.Equal("text/html", source["contentType"]!.GetValue<string>());
        var next = source["nextFetchAt"]!.GetValue<DateTime>();
        Assert.InRange(next, DateTime.UtcNow.AddHours(23), DateTime.UtcNow.AddHours(25));

        var entries = (await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray();
        Assert.Equal(["Do you buy houses that need work?", "How fast can you close?"], entries.Select(e => e!["heading"]!.GetValue<string>()).Order());
        Assert.Contains(entries, e => e!["text"]!.GetValue<string>() == "Usually in 7 to 14 days, on the date you pick.");
        Assert.DoesNotContain(entries, e => e!["text"]!.GetValue<string>().Contains("Blog", StringComparison.Ordinal));

        var sourceId = Guid.Parse(source["id"]!.GetValue<string>());
        var pending = await app.QueryAsync(db => db.WorkItems.Where(w => w.Kind == KnowledgeRefetcher.Work.Name && w.Status == WorkStatus.Pending && w.TenantId == tenant.Id).ToListAsync());
        Assert.Single(pending, w => w.Payload.Contains(sourceId.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/notes", "text/plain", "Monday to Saturday, 9 to 6.")]
    [InlineData("/readme.md", "text/markdown", "None at all.")]
    [InlineData("/guide.pdf", "application/pdf", "Seven to fourteen days.")]
    [InlineData("/hop/3", "text/html", "Yes, as-is. No repairs, no cleaning.")]
    public async Task Text_markdown_pdf_and_redirected_pages_are_read(string path, string contentType, string text)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        var source = await tenant.Http.PostJsonAsync("/api/knowledge/urls", new { url = app.Site.Url(path).ToString() });

        Assert.Equal(contentType, source["contentType"]!.GetValue<string>());
        Assert.Contains((await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray(), e => e!["text"]!.GetValue<string>() == text);
    }

    [Theory]
    [InlineData("/missing", 422, "answered 404 Not Found")]
    [InlineData("/broken", 422, "answered 500 Internal Server Error")]
    [InlineData("/hop/9", 422, "redirects more than 5 times")]
    [InlineData("/to-ftp", 422, "Only http and https")]
    [InlineData("/to-file", 422, "Only http and https")]
    [InlineData("/logo.png", 415, "is image/png")]
    [InlineData("/data.json", 415, "is application/json")]
    [InlineData("/declared-huge", 413, "larger than 64 KB")]
    [InlineData("/endless", 413, "larger than 64 KB")]
    [InlineData("/slow", 422, "did not answer within 3 seconds")]
    public async Task A_page_that_cannot_be_imported_is_a_problem_and_stores_nothing(string path, int status, string message)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        var body = await (await tenant.Http.PostAsJsonAsync("/api/knowledge/urls", new { url = app.Site.Url(path).ToString() })).AssertProblemAsync(status);

        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge/sources")).AsArray());
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray());
    }

    [Fact]
    public async Task An_endless_page_is_cut_off_at_the_size_limit()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var run = Guid.NewGuid().ToString("N");

        await (await tenant.Http.PostAsJsonAsync("/api/knowledge/urls", new { url = app.Site.Url($"/endless?run={run}").ToString() })).AssertProblemAsync(413);

        // The server can run ahead by what the loopback socket buffers hold (the kernel's TCP buffer
        // limits, 36 MB on some machines; autotuning on a busy machine has been seen to take about twice
        // that), never by the 960 MB it would send: the response ends because Parley hung up, not because
        // the page ran out.
        Assert.InRange(await app.Site.EndlessBytesSentAsync(run), 65536, (4 * SocketBufferLimit()) + (16 * 1024 * 1024));
    }

    private static long SocketBufferLimit()
    {
        static long Max(string path) =>
            File.Exists(path) && File.ReadAllText(path).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries) is [_, _, var max] ? long.Parse(max, System.Globalization.CultureInfo.InvariantCulture) : 8 * 1024 * 1024;

        return Max("/proc/sys/net/ipv4/tcp_rmem") + Max("/proc/sys/net/ipv4/tcp_wmem");
    }

    [Theory]
    [InlineData("")]
    [InlineData("faq")]
    [InlineData("www.example.com/faq")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/faq")]
    public async Task A_missing_or_malformed_url_is_a_validation_problem(string url)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        var body = await (await tenant.Http.PostAsJsonAsync("/api/knowledge/urls", new { url })).AssertProblemAsync(400);

        Assert.Contains("http or https address", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_the_same_url_again_replaces_its_entries_instead_of_doubling_them()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var url = app.Site.Url("/notes").ToString();

        var first = await tenant.Http.PostJsonAsync("/api/knowledge/urls", new { url });
        var second = await tenant.Http.PostJsonAsync("/api/knowledge/urls", new { url });

        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/knowledge/sources")).AsArray());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray());
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_a_tenants_sources_or_their_entries()
    {
        var owner = await app.CreateTenantAsync(number: NextNumber());
        var other = await app.CreateTenantAsync(number: NextNumber(), name: "Other Realty");
        var source = await owner.Http.PostJsonAsync("/api/knowledge/urls", new { url = app.Site.Url("/faq").ToString() });

        Assert.Empty((await other.Http.GetJsonAsync("/api/knowledge/sources")).AsArray());
        Assert.Empty((await other.Http.GetJsonAsync("/api/knowledge")).AsArray());
        var entryId = (await owner.Http.GetJsonAsync("/api/knowledge")).AsArray()[0]!["id"]!.GetValue<string>();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/knowledge/{entryId}")).StatusCode);
        Assert.Single((await owner.Http.GetJsonAsync("/api/knowledge/sources")).AsArray(), s => s!["id"]!.GetValue<string>() == source["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_due_refetch_picks_up_a_changed_page_and_a_failed_one_keeps_the_entries_and_records_why()
    {
        var site = await TestWebSite.StartAsync();
        await using var _ = site;
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var source = await tenant.Http.PostJsonAsync("/api/knowledge/urls", new { url = site.Url("/faq").ToString() });
        var sourceId = Guid.Parse(source["id"]!.GetValue<string>());

        site.Page = "<html><head><title>FAQ</title></head><body><h2>Do you charge fees?</h2><p>No fees and no commissions, ever.</p></body></html>";
        await MakeDueAsync(tenant.Id, sourceId);
        var changed = await Eventually.GetAsync(() => Entries(tenant), e => e.Any(x => x!["heading"]!.GetValue<string>() == "Do you charge fees?"));
        Assert.Single(changed);

        site.Page = "<html><body><nav>nothing here</nav></body></html>";
        await MakeDueAsync(tenant.Id, sourceId);
        var sources = await Eventually.GetAsync(() => Sources(tenant), s => s[0]!["lastError"] is not null);
        Assert.Contains("has no text to read", sources[0]!["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("No fees and no commissions, ever.", Assert.Single(await Entries(tenant))!["text"]!.GetValue<string>());
        Assert.True(sources[0]!["nextFetchAt"]!.GetValue<DateTime>() > DateTime.UtcNow.AddHours(23));
        var pending = await app.QueryAsync(db => db.WorkItems.CountAsync(w => w.Kind == KnowledgeRefetcher.Work.Name && w.Status == WorkStatus.Pending && w.TenantId == tenant.Id));
        Assert.Equal(1, pending);
    }

    private static async Task<JsonArray> Entries(TenantClient tenant) => (await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray();

    private static async Task<JsonArray> Sources(TenantClient tenant) => (await tenant.Http.GetJsonAsync("/api/knowledge/sources")).AsArray();

    /// <summary>Moves the source's re-fetch to now, as a day passing would.</summary>
    private Task<int> MakeDueAsync(Guid tenantId, Guid sourceId) => app.QueryAsync(async db =>
    {
        var past = DateTime.UtcNow.AddSeconds(-1);
        await db.KnowledgeSources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(s => s.SetProperty(x => x.NextFetchAtUtc, past));
        return await db.WorkItems.Where(w => w.Kind == KnowledgeRefetcher.Work.Name && w.Status == WorkStatus.Pending && w.TenantId == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.DueAtUtc, past));
    }, tenantId);
}

/// <summary>With the default setting the server refuses to fetch from the machine's own network.</summary>
public sealed class ImportUrlGuardTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1 is a loopback address")]
    [InlineData("localhost", "localhost resolves to")] // a name is refused on the address the connection would open
    public async Task A_local_address_is_refused_by_default_with_a_clear_problem_and_nothing_stored(string host, string message)
    {
        await using var site = await TestWebSite.StartAsync();
        var tenant = await app.CreateTenantAsync(number: host == "localhost" ? "+14165553201" : "+14165553202");
        var url = new UriBuilder(site.Url("/faq")) { Host = host }.Uri;

        var body = await (await tenant.Http.PostAsJsonAsync("/api/knowledge/urls", new { url = url.ToString() })).AssertProblemAsync(422);

        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.Contains("Parley__Webhooks__AllowPrivateUrls=true", body, StringComparison.Ordinal);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge/sources")).AsArray());
        Assert.Equal(0, site.FaqHits);
    }
}
