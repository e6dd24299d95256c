using Microsoft.EntityFrameworkCore;
using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

public sealed class ConversationExportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(null, "")]
    public void Fields_are_quoted_as_RFC_4180_says(string? value, string expected) => Assert.Equal(expected, ConversationExport.Field(value));

    [Fact]
    public async Task Export_streams_one_row_per_conversation_with_formulas_defused()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550170");
        var started = await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550171", contactName = "=HYPERLINK(evil) Smith", company = "Acme, \"West\"", message = "Hi" });

        var response = await tenant.Http.GetAsync("/api/conversations/export.csv");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("conversation_id,first_name,last_name,company,phones,outcome", lines[0], StringComparison.Ordinal);
        Assert.Contains(",'=HYPERLINK(evil),Smith,\"Acme, \"\"West\"\"\",+14165550171,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith(started["id"]!.GetValue<string>() + ",", lines[1], StringComparison.Ordinal); // the id as the API writes it
    }

    [Fact]
    public async Task Export_holds_what_the_list_shows_for_the_same_search_and_status()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550172");
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550173", contactName = "Ana Lopez", message = "Your roof inspection is Thursday" });
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550174", contactName = "Robert King", message = "The kitchen quote is ready" });

        var roof = (await tenant.Http.GetStringAsync("/api/conversations/export.csv?search=roof")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var inProgress = (await tenant.Http.GetStringAsync("/api/conversations/export.csv?outcome=None")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var badStatus = await tenant.Http.GetAsync("/api/conversations/export.csv?outcome=Maybe");

        Assert.Equal(2, roof.Length);
        Assert.Contains("+14165550173", roof[1], StringComparison.Ordinal);
        Assert.Equal(3, inProgress.Length);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badStatus.StatusCode);
    }

    [Fact]
    public async Task A_conversation_with_several_phones_lists_them_all_in_number_order_and_no_other_tenants()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550175");
        var other = await app.CreateTenantAsync(number: "+14165550176");
        var group = (await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550199", contactName = "Group Lead", message = "Hi all" }))["id"]!.GetValue<string>();
        var alone = (await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550177", contactName = "Solo Lead", message = "Hi" }))["id"]!.GetValue<string>();
        var theirs = (await other.Http.PostJsonAsync("/api/conversations", new { to = "+14165550178", contactName = "Their Lead", message = "Hi" }))["id"]!.GetValue<string>();
        // Numbers joined the conversation out of order; the other tenant's conversation shares an id with none of them.
        await app.QueryAsync(async db =>
        {
            foreach (var number in new[] { "+14165550188", "+14165550111" })
            {
                db.ConversationPhones.Add(new ConversationPhone { Id = Guid.CreateVersion7(), TenantId = tenant.Id, ConversationId = Guid.Parse(group), Number = number });
            }

            db.ConversationPhones.Add(new ConversationPhone { Id = Guid.CreateVersion7(), TenantId = other.Id, ConversationId = Guid.Parse(theirs), Number = "+14165550122" });
            return await db.SaveChangesAsync();
        }, tenant.Id);

        var lines = (await tenant.Http.GetStringAsync("/api/conversations/export.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var theirLines = (await other.Http.GetStringAsync("/api/conversations/export.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(group + ",", StringComparison.Ordinal) && l.Contains(",+14165550111 +14165550188 +14165550199,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(alone + ",", StringComparison.Ordinal) && l.Contains(",+14165550177,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("+14165550122", StringComparison.Ordinal) || l.Contains("+14165550178", StringComparison.Ordinal));
        Assert.Equal(2, theirLines.Length);
        Assert.Contains(",+14165550122 +14165550178,", theirLines[1], StringComparison.Ordinal);
        Assert.Equal(2, await app.QueryAsync(db => db.ConversationPhones.CountAsync(p => p.ConversationId == Guid.Parse(theirs)), other.Id));
    }

    [Fact]
    public async Task A_large_export_arrives_whole_in_the_list_order()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550179");
        for (var i = 0; i < 160; i++)
        {
            await tenant.Http.PostJsonAsync("/api/conversations", new { to = $"+1416555{2000 + i}", contactName = $"Lead {i} " + new string('x', 180), company = new string('y', 200), message = "Hi" });
        }

        var lines = (await tenant.Http.GetStringAsync("/api/conversations/export.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        // 160 rows of over 400 bytes each: more than the 64 KB that go to the response at a time.
        Assert.Equal(161, lines.Length);
        Assert.Equal(Enumerable.Range(0, 160).Reverse().Select(i => $"+1416555{2000 + i}"), lines.Skip(1).Select(l => l.Split(',')[4]));
    }
}
