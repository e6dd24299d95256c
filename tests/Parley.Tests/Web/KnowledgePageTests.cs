using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Knowledge;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>The Knowledge page's forms refuse bad input with a message next to the form, never an error page, and stay within the tenant.</summary>
public sealed class KnowledgePageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Client, Guid TenantId)> SignedInAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        (await Forms.SignUpAsync(client, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        return (client, tenantId);
    }

    private static Task<HttpResponseMessage> AddAsync(HttpClient client, string title, string text, string questions = "") =>
        Forms.PostAsync(client, "/knowledge", new Dictionary<string, string> { ["Entry.Title"] = title, ["Entry.Text"] = text, ["Entry.Questions"] = questions });

    [Fact]
    public async Task An_entry_without_a_title_comes_back_with_the_message_and_is_not_stored()
    {
        var (client, tenantId) = await SignedInAsync("empty-title@birch.example");

        foreach (var title in new[] { "", "   ", new string('x', KnowledgeLimits.MaxTitleLength + 1) })
        {
            var response = await AddAsync(client, title, "We are open Monday to Friday, 9 to 5.");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($"A title of 1 to {KnowledgeLimits.MaxTitleLength} characters is required.", html, StringComparison.Ordinal);
            Assert.Contains("We are open Monday to Friday, 9 to 5.", html, StringComparison.Ordinal); // what was typed is kept in the form
        }

        var noText = await (await AddAsync(client, "Hours", "  ")).Content.ReadAsStringAsync();
        Assert.Contains("A text of 1 to", noText, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.KnowledgeEntries.CountAsync(), tenantId));

        var added = WebUtility.HtmlDecode(await (await AddAsync(client, "Hours", "We are open Monday to Friday, 9 to 5.", "when r u open\r\n\r\n  what are ur hours  \n")).Content.ReadAsStringAsync());
        Assert.Contains("Added “Hours”", added, StringComparison.Ordinal);
        var entry = await app.QueryAsync(db => db.KnowledgeEntries.SingleAsync(), tenantId);
        Assert.Equal(["when r u open", "what are ur hours"], entry.Questions);
    }

    [Fact]
    public async Task Bad_imports_a_bad_answer_and_an_empty_question_get_messages_not_errors()
    {
        var (client, tenantId) = await SignedInAsync("bad-forms@birch.example");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KnowledgeGaps>().RecordAsync(tenantId, null, "do u do rentals", CancellationToken.None);
        }

        var gapId = await app.QueryAsync(db => db.KnowledgeGaps.Select(g => g.Id).SingleAsync(), tenantId);

        var url = await Forms.PostAsync(client, "/knowledge", new Dictionary<string, string> { ["PageAddress"] = "my website" }, "Url");
        Assert.Equal(HttpStatusCode.OK, url.StatusCode);
        Assert.Contains("An absolute http or https address", await url.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var noFiles = await Forms.PostAsync(client, "/knowledge", new Dictionary<string, string>(), "Upload");
        Assert.Equal(HttpStatusCode.OK, noFiles.StatusCode);
        Assert.Contains("Attach 1 to", await noFiles.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var answer = await Forms.PostAsync(client, $"/knowledge?gapId={gapId}", new Dictionary<string, string> { ["AnswerText"] = " " }, "Answer");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("A text of 1 to", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tooLong = await client.GetAsync("/knowledge?q=" + new string('a', KnowledgeLimits.MaxQuestionLength * 2 + 1));
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Contains("A question of 1 to", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(0, await app.QueryAsync(db => db.KnowledgeEntries.CountAsync(), tenantId));
        Assert.Equal(0, await app.QueryAsync(db => db.KnowledgeSources.CountAsync(), tenantId));
        Assert.Null(await app.QueryAsync(db => db.KnowledgeGaps.Select(g => g.AnsweredByEntryId).SingleAsync(), tenantId));
    }

    [Fact]
    public async Task Another_tenants_entries_and_gaps_cannot_be_seen_edited_deleted_or_answered()
    {
        var (owner, ownerId) = await SignedInAsync("owner@knowledge.example");
        (await AddAsync(owner, "Gate code", "The side gate code is 4411.")).EnsureSuccessStatusCode();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KnowledgeGaps>().RecordAsync(ownerId, null, "is the pool heated", CancellationToken.None);
        }

        var entryId = await app.QueryAsync(db => db.KnowledgeEntries.Select(e => e.Id).SingleAsync(), ownerId);
        var gapId = await app.QueryAsync(db => db.KnowledgeGaps.Select(g => g.Id).SingleAsync(), ownerId);
        var (intruder, _) = await SignedInAsync("intruder@knowledge.example");

        var page = await intruder.GetStringAsync("/knowledge?q=gate+code");
        Assert.DoesNotContain("4411", page, StringComparison.Ordinal);
        Assert.DoesNotContain("is the pool heated", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/knowledge?edit={entryId}")).StatusCode);

        var edit = await Forms.PostAsync(intruder, $"/knowledge?id={entryId}", new Dictionary<string, string> { ["Entry.Title"] = "Gate code", ["Entry.Text"] = "Hijacked" }, "Edit");
        Assert.Contains("Not found.", await edit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var delete = await Forms.PostAsync(intruder, $"/knowledge?id={entryId}", new Dictionary<string, string>(), "Delete");
        Assert.Contains("Not found.", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var answer = await Forms.PostAsync(intruder, $"/knowledge?gapId={gapId}", new Dictionary<string, string> { ["AnswerText"] = "Hijacked" }, "Answer");
        Assert.Contains("Not found.", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var entry = await app.QueryAsync(db => db.KnowledgeEntries.SingleAsync(), ownerId);
        Assert.Equal("The side gate code is 4411.", entry.Text);
        Assert.Null(await app.QueryAsync(db => db.KnowledgeGaps.Select(g => g.AnsweredByEntryId).SingleAsync(), ownerId));
        Assert.Contains("4411", await owner.GetStringAsync("/knowledge"), StringComparison.Ordinal);
    }
}
