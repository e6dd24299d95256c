using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.FollowUps;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>Follow-ups in the dashboard: the schedule set on the SMS Agents page, and a scheduled follow-up in the
/// thread cancelled with its button, through real form posts.</summary>
public sealed class FollowUpPageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 7700;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task<(HttpClient Client, Guid TenantId)> LiveBusinessAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(client, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        using var admin = app.Admin();
        (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number = NextNumber() })).EnsureSuccessStatusCode();
        return (client, tenantId);
    }

    private static Task<HttpResponseMessage> SaveAgentAsync(HttpClient client, string followUps) =>
        Forms.PostAsync(client, "/agents", new Dictionary<string, string>
        {
            ["Form.Name"] = "Front desk",
            ["Form.SystemPrompt"] = "You text for Birch Dental.",
            ["Form.MaxTurns"] = "10",
            ["Form.ReplyLengthLimit"] = "160",
            ["Form.Mode"] = "Autopilot",
            ["Form.FollowUpHours"] = followUps,
        });

    [Fact]
    public async Task The_thread_shows_a_scheduled_follow_up_and_its_button_cancels_it()
    {
        var (client, tenantId) = await LiveBusinessAsync("followup@pages.example");
        (await SaveAgentAsync(client, "1, 24")).EnsureSuccessStatusCode();
        Assert.Contains("value=\"1, 24\"", await client.GetStringAsync("/agents"), StringComparison.Ordinal);

        (await Forms.PostAsync(client, "/simulator", new Dictionary<string, string> { ["From"] = NextNumber(), ["Text"] = "Hi, do you have openings next week?" })).EnsureSuccessStatusCode();
        var followUp = await Eventually.GetAsync(() => app.QueryAsync(db => db.FollowUps.FirstOrDefaultAsync(), tenantId), f => f is not null);
        var page = $"/conversations/{followUp!.ConversationId}";
        Assert.Contains(">Cancel follow-up</button>", await client.GetStringAsync(page), StringComparison.Ordinal);

        var cancelled = await Forms.PostAsync(client, page, new Dictionary<string, string> { ["followUpId"] = followUp.Id.ToString() }, "CancelFollowUp");

        cancelled.EnsureSuccessStatusCode();
        Assert.DoesNotContain(">Cancel follow-up</button>", await cancelled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await app.QueryAsync(db => db.FollowUps.SingleAsync(), tenantId);
        Assert.Equal(FollowUpStatus.Cancelled, stored.Status);
        Assert.Equal("cancelled by followup@pages.example.", stored.CancelReason);
    }

    [Fact]
    public async Task A_schedule_that_is_not_whole_hours_is_refused_beside_the_field()
    {
        var (client, tenantId) = await LiveBusinessAsync("badschedule@pages.example");

        var refused = await SaveAgentAsync(client, "1, soon");
        var tooMany = await SaveAgentAsync(client, "1, 2, 3, 4, 5, 6");

        Assert.Contains("Follow-ups are whole hours separated by commas", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("At most 5 follow-ups", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(await app.QueryAsync(db => db.Assistants.ToListAsync(), tenantId), a => Assert.Null(a.FollowUpHours));
    }
}
