using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Knowledge;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Knowledge;

/// <summary>Knowledge entries and gaps through the API: stored, validated field by field, and never shared between tenants.</summary>
public sealed class KnowledgeApiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int nextNumber = 2000;

    [Fact]
    public async Task An_entry_is_created_read_changed_and_deleted()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550701");
        var created = await tenant.Http.PostAsJsonAsync("/api/knowledge", new
        {
            title = "Closing",
            text = "We can close in as little as 7 days, or on the date you pick.",
            questions = new[] { "How fast can you close?", "when can we close" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entry = await created.ReadJsonAsync();
        var id = entry["id"]!.GetValue<string>();
        Assert.Equal($"/api/knowledge/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(2, entry["questions"]!.AsArray().Count);

        Assert.Equal("Closing", (await tenant.Http.GetJsonAsync($"/api/knowledge/{id}"))["title"]!.GetValue<string>());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray());

        var updated = await tenant.Http.PutAsJsonAsync($"/api/knowledge/{id}", new { title = "How soon we close", text = "We close in 7 to 14 days." });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var read = await tenant.Http.GetJsonAsync($"/api/knowledge/{id}");
        Assert.Equal("We close in 7 to 14 days.", read["text"]!.GetValue<string>());
        Assert.Empty(read["questions"]!.AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Http.DeleteAsync($"/api/knowledge/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Http.GetAsync($"/api/knowledge/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Http.DeleteAsync($"/api/knowledge/{id}")).StatusCode);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray());
    }

    public static TheoryData<string, object> BadEntries => new()
    {
        { "title", new { title = "", text = "Some text" } },
        { "title", new { title = "   ", text = "Some text" } },
        { "title", new { title = new string('t', 201), text = "Some text" } },
        { "title", new { text = "Some text" } },
        { "text", new { title = "A title" } },
        { "text", new { title = "A title", text = "" } },
        { "text", new { title = "A title", text = new string('x', 4001) } },
        { "questions", new { title = "A title", text = "Some text", questions = new[] { "ok", "" } } },
        { "questions", new { title = "A title", text = "Some text", questions = new[] { new string('q', 301) } } },
        { "questions", new { title = "A title", text = "Some text", questions = Enumerable.Range(0, 21).Select(i => $"question {i}").ToArray() } },
        { "assistantIds", new { title = "A title", text = "Some text", assistantIds = new[] { Guid.NewGuid() } } },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task A_bad_entry_is_a_problem_naming_the_field_and_changes_nothing(string field, object body)
    {
        var tenant = await app.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref nextNumber)}");
        var kept = await tenant.Http.PostJsonAsync("/api/knowledge", new { title = "Kept", text = "Stays as it was." });
        var id = kept["id"]!.GetValue<string>();

        var problem = await (await tenant.Http.PostAsJsonAsync("/api/knowledge", body)).AssertProblemAsync(400);
        Assert.Contains($"\"{field}\"", problem, StringComparison.Ordinal);
        problem = await (await tenant.Http.PutAsJsonAsync($"/api/knowledge/{id}", body)).AssertProblemAsync(400);
        Assert.Contains($"\"{field}\"", problem, StringComparison.Ordinal);

        var entries = (await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray();
        Assert.Equal("Stays as it was.", Assert.Single(entries)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_or_a_bad_search_is_a_problem_not_an_error()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550702");
        using var content = new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Http.PostAsync("/api/knowledge", content)).StatusCode);
        Assert.Contains("\"q\"", await (await tenant.Http.GetAsync("/api/knowledge/search?q=")).AssertProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("\"limit\"", await (await tenant.Http.GetAsync("/api/knowledge/search?q=hi&limit=0")).AssertProblemAsync(400), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Http.PostAsJsonAsync($"/api/knowledge/gaps/{Guid.NewGuid()}/answer", new { text = "x" })).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_entries_and_gaps_are_invisible_and_untouchable()
    {
        var owner = await app.CreateTenantAsync(number: "+14165550703", name: "Owner Homes");
        var intruder = await app.CreateTenantAsync(number: "+14165550704", name: "Intruder Homes");
        var entry = await owner.Http.PostJsonAsync("/api/knowledge", new
        {
            title = "Secret fee schedule",
            text = "Our fee is zero and we pay all closing costs.",
            questions = new[] { "do you charge fees" },
        });
        var id = entry["id"]!.GetValue<string>();
        await RecordGapAsync(owner.Id, "do you buy mobile homes?");

        Assert.NotEmpty((await owner.Http.GetJsonAsync("/api/knowledge/search?q=do%20you%20charge%20fees"))["passages"]!.AsArray());
        Assert.Empty((await intruder.Http.GetJsonAsync("/api/knowledge")).AsArray());
        Assert.Empty((await intruder.Http.GetJsonAsync("/api/knowledge/search?q=do%20you%20charge%20fees"))["passages"]!.AsArray());
        Assert.Empty((await intruder.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.GetAsync($"/api/knowledge/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.PutAsJsonAsync($"/api/knowledge/{id}", new { title = "Hijacked", text = "Hijacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.DeleteAsync($"/api/knowledge/{id}")).StatusCode);

        var gapId = (await owner.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray().Single()!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.PostAsJsonAsync($"/api/knowledge/gaps/{gapId}/answer", new { text = "Hijacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.DeleteAsync($"/api/knowledge/gaps/{gapId}")).StatusCode);

        var kept = await owner.Http.GetJsonAsync($"/api/knowledge/{id}");
        Assert.Equal("Secret fee schedule", kept["title"]!.GetValue<string>());
        Assert.Single((await owner.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray());
    }

    [Fact]
    public async Task A_question_asked_again_counts_up_its_gap_and_answering_it_makes_an_entry()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550705");
        await RecordGapAsync(tenant.Id, "Do you buy mobile homes?");
        await RecordGapAsync(tenant.Id, "do you buy  mobile homes");
        await RecordGapAsync(tenant.Id, "What about condos?");

        var gaps = (await tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray();
        Assert.Equal(2, gaps.Count);
        var mobile = gaps.Single(g => g!["question"]!.GetValue<string>() == "Do you buy mobile homes?")!;
        Assert.Equal(2, mobile["times"]!.GetValue<int>());

        var gapId = mobile["id"]!.GetValue<string>();
        Assert.Contains("\"text\"", await (await tenant.Http.PostAsJsonAsync($"/api/knowledge/gaps/{gapId}/answer", new { text = " " })).AssertProblemAsync(400), StringComparison.Ordinal);
        var answered = await tenant.Http.PostAsJsonAsync($"/api/knowledge/gaps/{gapId}/answer", new { text = "Yes, we buy mobile homes on owned land." });
        Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        var entry = await answered.ReadJsonAsync();
        Assert.Equal("Do you buy mobile homes?", entry["title"]!.GetValue<string>());
        Assert.Equal("Do you buy mobile homes?", entry["questions"]![0]!.GetValue<string>());

        var open = (await tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray();
        Assert.Equal("What about condos?", Assert.Single(open)!["question"]!.GetValue<string>());
        var all = (await tenant.Http.GetJsonAsync("/api/knowledge/gaps?answered=true")).AsArray();
        Assert.Equal(entry["id"]!.GetValue<string>(), all.Single(g => g!["id"]!.GetValue<string>() == gapId)!["answeredByEntryId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Http.DeleteAsync($"/api/knowledge/gaps/{open[0]!["id"]}")).StatusCode);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge/gaps")).AsArray());
    }

    private async Task RecordGapAsync(Guid tenantId, string question)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KnowledgeGaps>().RecordAsync(tenantId, null, question, CancellationToken.None);
    }
}
