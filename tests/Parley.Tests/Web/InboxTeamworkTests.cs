using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>The inbox as a team works it: conversations assigned to a teammate, unread per person, and the
/// sidebar's counts of what is waiting.</summary>
public sealed partial class InboxTeamworkTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private const string Password = "correct horse battery";
    private static int numbers = 6000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    /// <summary>A live business, its owner signed in, and a teammate the owner added, signed in too.</summary>
    private async Task<(HttpClient Owner, HttpClient Api, HttpClient Teammate, Guid TenantId, Guid OwnerId, Guid TeammateId)> TeamAsync(string name)
    {
        var owner = Browser();
        (await Forms.SignUpAsync(owner, $"owner@{name}.example")).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == $"owner@{name}.example").Select(u => u.TenantId).SingleAsync());
        using (var admin = app.Admin())
        {
            (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number = NextNumber() })).EnsureSuccessStatusCode();
        }

        (await Forms.PostAsync(owner, "/settings", new Dictionary<string, string> { ["InviteEmail"] = $"mate@{name}.example", ["InvitePassword"] = Password }, "Invite"))
            .EnsureSuccessStatusCode();
        var teammate = Browser();
        (await Forms.PostAsync(teammate, "/signin", new Dictionary<string, string> { ["Email"] = $"mate@{name}.example", ["Password"] = Password })).EnsureSuccessStatusCode();
        var users = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.TenantId == tenantId).ToDictionaryAsync(u => u.Email, u => u.Id));
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await Forms.ApiKeyAsync(owner));
        return (owner, api, teammate, tenantId, users[$"owner@{name}.example"], users[$"mate@{name}.example"]);
    }

    private async Task<Guid> TextAsync(HttpClient client, Guid tenantId, string from, string text)
    {
        (await Forms.PostAsync(client, "/simulator", new Dictionary<string, string> { ["From"] = from, ["Text"] = text })).EnsureSuccessStatusCode();
        await app.WorkDrainedAsync(tenantId);
        return await app.QueryAsync(db => db.Conversations.Where(c => c.Phones.Any(p => p.Number == from)).Select(c => c.Id).SingleAsync(), tenantId);
    }

    [Fact]
    public async Task An_assignment_shows_in_the_list_the_thread_the_api_and_the_activity_log()
    {
        var (owner, api, _, tenantId, _, teammateId) = await TeamAsync("assign");
        var id = await TextAsync(owner, tenantId, NextNumber(), "Can I talk to a real person please");

        var assigned = await api.PutAsJsonAsync($"/api/conversations/{id}/assignee", new { userId = teammateId });

        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Equal(teammateId, (await assigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assigneeId").GetGuid());
        Assert.Equal(teammateId, (await owner.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}")).GetProperty("assigneeId").GetGuid());
        Assert.Contains("→ mate@assign.example", await owner.GetStringAsync("/needs-attention"), StringComparison.Ordinal);
        Assert.Contains("Assigned to mate@assign.example", await owner.GetStringAsync($"/conversations/{id}"), StringComparison.Ordinal);
        var activity = await owner.GetFromJsonAsync<JsonElement>($"/api/activity?conversationId={id}&kind=Assigned");
        Assert.Equal("Assigned to mate@assign.example by an API key.", activity[0].GetProperty("detail").GetString());

        // Unassigned again through the thread's form, and that is logged too.
        (await Forms.PostAsync(owner, $"/conversations/{id}", new Dictionary<string, string> { ["assignee"] = "" }, "Assign")).EnsureSuccessStatusCode();
        Assert.Equal(JsonValueKind.Null, (await owner.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}")).GetProperty("assigneeId").ValueKind);
        var logged = await owner.GetFromJsonAsync<JsonElement>($"/api/activity?conversationId={id}&kind=Assigned");
        Assert.Equal(2, logged.GetArrayLength());
        Assert.Equal("Unassigned by owner@assign.example.", logged[0].GetProperty("detail").GetString());
        Assert.Contains("Unassigned by owner@assign.example.", await owner.GetStringAsync("/activity"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_businesss_user_or_conversation_cannot_be_assigned()
    {
        var (owner, api, _, tenantId, _, _) = await TeamAsync("mine");
        var (other, _, _, otherTenant, otherOwner, _) = await TeamAsync("theirs");
        var id = await TextAsync(owner, tenantId, NextNumber(), "hey who is this");
        var theirs = await TextAsync(other, otherTenant, NextNumber(), "hey who is this");

        var foreignUser = await api.PutAsJsonAsync($"/api/conversations/{id}/assignee", new { userId = otherOwner });
        Assert.Equal(HttpStatusCode.BadRequest, foreignUser.StatusCode);
        Assert.Contains("No teammate", await foreignUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync($"/api/conversations/{theirs}/assignee", new { userId = (Guid?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync($"/api/conversations/{Guid.NewGuid()}/assignee", new { userId = (Guid?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsync($"/api/conversations/{id}/assignee", new StringContent("{\"userId\":\"nope\"}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Null(await app.QueryAsync(db => db.Conversations.Where(c => c.Id == id).Select(c => c.AssigneeUserId).SingleAsync(), tenantId));
    }

    [Fact]
    public async Task Assigned_to_me_lists_only_my_conversations()
    {
        var (owner, api, teammate, tenantId, ownerId, teammateId) = await TeamAsync("filter");
        var (mine, theirs, nobodys) = (NextNumber(), NextNumber(), NextNumber());
        var mineId = await TextAsync(owner, tenantId, mine, "hey who is this");
        var theirsId = await TextAsync(owner, tenantId, theirs, "hey who is this");
        await TextAsync(owner, tenantId, nobodys, "hey who is this");
        (await Forms.PostAsync(owner, $"/conversations/{mineId}", new Dictionary<string, string> { ["assignee"] = ownerId.ToString() }, "Assign")).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"/api/conversations/{theirsId}/assignee", new { userId = teammateId })).EnsureSuccessStatusCode();

        var ownerView = await owner.GetStringAsync("/?mine=true");
        var teammateView = await teammate.GetStringAsync("/?mine=true");

        Assert.Equal([mineId.ToString()], Rows().Matches(ownerView).Select(m => m.Groups[1].Value));
        Assert.Equal([theirsId.ToString()], Rows().Matches(teammateView).Select(m => m.Groups[1].Value));
        Assert.Equal(3, Rows().Count(await owner.GetStringAsync("/")));
        Assert.Equal([theirsId], (await owner.GetFromJsonAsync<JsonElement>($"/api/conversations?assigneeId={teammateId}")).EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Unread_is_per_teammate_and_clears_when_they_open_the_thread()
    {
        var (owner, _, teammate, tenantId, _, _) = await TeamAsync("unread");
        var number = NextNumber();
        var id = await TextAsync(owner, tenantId, number, "hey who is this");
        Assert.Equal([id.ToString()], Unread().Matches(await owner.GetStringAsync("/")).Select(m => m.Groups[1].Value));
        Assert.Single(Unread().Matches(await teammate.GetStringAsync("/")));

        await owner.GetStringAsync($"/conversations/{id}");

        Assert.Empty(Unread().Matches(await owner.GetStringAsync("/")));
        Assert.Single(Unread().Matches(await teammate.GetStringAsync("/")));

        // A new text from the contact makes it unread again; the business's own replies do not.
        await TextAsync(owner, tenantId, number, "I'm Robert by the way");
        Assert.Single(Unread().Matches(await owner.GetStringAsync("/")));
        await owner.GetStringAsync($"/conversations/{id}");
        (await Forms.PostAsync(owner, $"/conversations/{id}", new Dictionary<string, string> { ["Text"] = "Thanks Robert!" }, "Send")).EnsureSuccessStatusCode();
        await app.WorkDrainedAsync(tenantId);
        Assert.Empty(Unread().Matches(await owner.GetStringAsync("/")));
    }

    [Fact]
    public async Task The_sidebar_counts_escalations_urgent_callbacks_and_interested_leads()
    {
        var (owner, _, _, tenantId, _, _) = await TeamAsync("badges");
        var escalated = await TextAsync(owner, tenantId, NextNumber(), "Can I talk to a real person please");
        await TextAsync(owner, tenantId, NextNumber(), "hey who is this");
        await TextAsync(owner, tenantId, NextNumber(), "STOP"); // opted out: neither escalated nor a lead
        var now = DateTime.UtcNow;
        await app.QueryAsync(async db =>
        {
            var contact = await db.Conversations.Where(c => c.Id == escalated).Select(c => c.ContactId).SingleAsync();
            foreach (var (due, status) in new[] { (now.AddMinutes(45), CallbackStatus.Booked), (now.AddHours(-3), CallbackStatus.Booked), (now.AddDays(3), CallbackStatus.Booked), (now.AddMinutes(30), CallbackStatus.Cancelled) })
            {
                db.Callbacks.Add(new Callback { Id = Guid.CreateVersion7(), TenantId = tenantId, ConversationId = escalated, ContactId = contact, ContactNumber = "+14165550000", DueAtUtc = due, CreatedAtUtc = now, Status = status });
            }

            return await db.SaveChangesAsync();
        }, tenantId);

        var html = await owner.GetStringAsync("/contacts");

        Assert.Equal("1", Badge("attention-badge", html));
        Assert.Equal("2", Badge("callbacks-badge", html)); // due in 45 min and 3 h overdue; not in 3 days, not cancelled
        Assert.Equal("1", Badge("leads-badge", html));
    }

    private static string Badge(string id, string html) => Regex.Match(html, $"id=\"{id}\"[^>]*>(\\d+)</span>").Groups[1].Value;

    [GeneratedRegex("<a class=\"item[^\"]*\" href=\"/conversations/([0-9a-f-]+)[?\"]")]
    private static partial Regex Rows();

    [GeneratedRegex("<a class=\"item unread\" href=\"/conversations/([0-9a-f-]+)[?\"]")]
    private static partial Regex Unread();
}
