using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Webhooks;

/// <summary>Leads handed over by other systems: one text per Idempotency-Key, however often or however concurrently it comes.</summary>
public sealed class LeadsApiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 5000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private Task<TenantClient> TenantAsync() => app.CreateTenantAsync(number: NextNumber(), name: "Maple Realty");

    private static Task<HttpResponseMessage> PostLeadAsync(TenantClient tenant, string? key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return tenant.Http.SendAsync(request);
    }

    private Task<List<Message>> OutboundToAsync(TenantClient tenant, string phone) =>
        app.QueryAsync(db => db.Messages.Where(m => m.ContactNumber == phone && m.Direction == MessageDirection.Outbound).ToListAsync(), tenant.Id);

    [Fact]
    public async Task A_lead_starts_the_conversation_with_the_agents_opener_once_per_key()
    {
        var tenant = await TenantAsync();
        var phone = NextNumber();
        var lead = new { phone = "(416) " + phone[5..8] + "-" + phone[8..], firstName = "Dana", lastName = "Lee", company = "Lee Holdings", source = "Website form" };

        var first = await PostLeadAsync(tenant, "form-123", lead);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.ReadJsonAsync();
        var again = await PostLeadAsync(tenant, "form-123", lead);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        var replayed = await again.ReadJsonAsync();
        Assert.Equal(created["conversationId"]!.GetValue<string>(), replayed["conversationId"]!.GetValue<string>());

        await app.WorkDrainedAsync(tenant.Id);
        var sent = Assert.Single(await OutboundToAsync(tenant, phone));
        Assert.Contains("Dana", sent.Text, StringComparison.Ordinal);
        Assert.Contains("Maple Realty", sent.Text, StringComparison.Ordinal);
        Assert.True(sent.IsAi);
        var conversation = await tenant.Http.GetJsonAsync($"/api/conversations/{created["conversationId"]!.GetValue<string>()}");
        Assert.Equal("Dana", conversation["contact"]!["firstName"]!.GetValue<string>());
        Assert.Equal("Lee Holdings", conversation["contact"]!["company"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_key_sent_at_the_same_moment_texts_once()
    {
        var tenant = await TenantAsync();
        var phone = NextNumber();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostLeadAsync(tenant, "zap-42", new { phone, firstName = "Sam", message = "Hi {firstName}, thanks for your enquiry with {company}!" })));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        await app.WorkDrainedAsync(tenant.Id);
        var sent = Assert.Single(await OutboundToAsync(tenant, phone));
        Assert.Equal("Hi Sam, thanks for your enquiry with Maple Realty!", sent.Text);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_lead_is_refused_and_sends_nothing_more()
    {
        var tenant = await TenantAsync();
        var phone = NextNumber();
        (await PostLeadAsync(tenant, "crm-7", new { phone, firstName = "Ana" })).EnsureSuccessStatusCode();
        var other = NextNumber();
        var problem = await (await PostLeadAsync(tenant, "crm-7", new { phone = other, firstName = "Ana" })).AssertProblemAsync(422);
        Assert.Contains("Idempotency-Key", problem, StringComparison.Ordinal);
        Assert.Empty(await OutboundToAsync(tenant, other));
    }

    [Fact]
    public async Task A_new_lead_for_someone_already_texting_resumes_their_conversation()
    {
        var tenant = await TenantAsync();
        var phone = NextNumber();
        var started = await tenant.Http.PostJsonAsync("/api/conversations", new { to = phone, message = "Hi from Maple Realty" });
        var lead = await (await PostLeadAsync(tenant, "lead-2", new { phone, source = "Open house sign-up" })).ReadJsonAsync();
        Assert.Equal(started["id"]!.GetValue<string>(), lead["conversationId"]!.GetValue<string>());
        await app.WorkDrainedAsync(tenant.Id);
        Assert.Equal(2, (await OutboundToAsync(tenant, phone)).Count);
    }

    [Fact]
    public async Task Keys_belong_to_one_tenant()
    {
        var first = await TenantAsync();
        var second = await TenantAsync();
        var phone = NextNumber();
        Assert.Equal(HttpStatusCode.Created, (await PostLeadAsync(first, "shared-key", new { phone })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostLeadAsync(second, "shared-key", new { phone })).StatusCode);
        Assert.Single(await OutboundToAsync(first, phone));
        Assert.Single(await OutboundToAsync(second, phone));
    }

    public static TheoryData<string?, string, string> BadLeads => new()
    {
        { null, """{"phone":"+14165550123"}""", "Idempotency-Key" },
        { "k-1", """{"firstName":"Ana"}""", "phone" },
        { "k-2", """{"phone":"call me"}""", "phone" },
        { "k-3", """{"phone":"+999 1234 5678"}""", "phone" },
        { "k-5", """{"phone":"+14165550123","firstName":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "firstName" },
        { "k-6", """{"phone":""", "" },
        { "k-7", "{\"phone\":\"+14165550123\",\"message\":\"" + new string('x', 1600) + "\"}", "message" },
    };

    [Theory]
    [MemberData(nameof(BadLeads))]
    public async Task Bad_leads_are_a_clear_problem_and_store_nothing(string? key, string json, string mentioned)
    {
        var tenant = await TenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        var response = await tenant.Http.SendAsync(request);
        var problem = await response.AssertProblemAsync(400);
        Assert.Contains(mentioned, problem, StringComparison.Ordinal);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations")).AsArray());
        Assert.Equal(0, await app.QueryAsync(db => db.LeadRequests.CountAsync(), tenant.Id));
    }
}
