using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Leads;

/// <summary>A lead's opener obeys the AI mode like every agent text: Autopilot sends it, Suggest leaves it as a draft
/// for a person, Off sends nothing. The lead is recorded, and its Idempotency-Key kept, in every mode.</summary>
public sealed class LeadsModeTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 5600;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task<TenantClient> TenantAsync(string mode)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), name: "Maple Realty");
        await tenant.Http.PostJsonAsync("/api/assistants", new { name = "Front desk", systemPrompt = "You text for Maple Realty.", maxTurns = 10, isDefault = true, mode });
        return tenant;
    }

    private static async Task<(HttpStatusCode Status, Guid ConversationId)> PostLeadAsync(TenantClient tenant, string key, string phone)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads") { Content = JsonContent.Create(new { phone, firstName = "Dana", source = "Website form" }) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await tenant.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (response.StatusCode, Guid.Parse((await response.ReadJsonAsync())["conversationId"]!.GetValue<string>()));
    }

    private IReadOnlyList<string> CarrierSendsTo(string phone) => [.. fixture.Telnyx.Sends.Where(s => s.To == phone).Select(s => s.Text)];

    private Task<List<Message>> OutboundAsync(TenantClient tenant, Guid conversationId) =>
        fixture.App.QueryAsync(db => db.Messages.Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Outbound).ToListAsync(), tenant.Id);

    /// <summary>The wallet lines of one kind for the tenant.</summary>
    private Task<int> ChargesAsync(TenantClient tenant, WalletEntryKind kind) =>
        fixture.App.QueryAsync(db => db.WalletEntries.CountAsync(e => e.Kind == kind), tenant.Id);

    private Task<int> LeadsRecordedAsync(TenantClient tenant) => fixture.App.QueryAsync(db => db.LeadRequests.CountAsync(), tenant.Id);

    [Fact]
    public async Task In_suggest_mode_the_opener_is_a_draft_and_nothing_reaches_the_carrier_until_a_person_sends_it()
    {
        var tenant = await TenantAsync("Suggest");
        var phone = NextNumber();

        var (status, id) = await PostLeadAsync(tenant, "form-suggest-1", phone);
        var (again, sameId) = await PostLeadAsync(tenant, "form-suggest-1", phone);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(id, sameId);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Empty(CarrierSendsTo(phone));
        Assert.Empty(await OutboundAsync(tenant, id));
        Assert.Equal(1, await LeadsRecordedAsync(tenant));
        var conversation = await tenant.Http.GetJsonAsync($"/api/conversations/{id}");
        var draft = conversation["draft"]!;
        Assert.Contains("Hi Dana, this is Maple Realty", draft["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(phone, draft["contactNumber"]!.GetValue<string>());

        (await tenant.Http.PostAsync($"/api/conversations/{id}/draft/send", null)).EnsureSuccessStatusCode();

        var sent = await Eventually.GetAsync(() => Task.FromResult(CarrierSendsTo(phone)), s => s.Count > 0);
        Assert.Contains("Hi Dana, this is Maple Realty", Assert.Single(sent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_ai_off_the_lead_is_recorded_and_nothing_is_sent_or_drafted()
    {
        var tenant = await TenantAsync("Off");
        var phone = NextNumber();

        var (status, id) = await PostLeadAsync(tenant, "crm-off-1", phone);
        var (again, sameId) = await PostLeadAsync(tenant, "crm-off-1", phone);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(id, sameId);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Empty(CarrierSendsTo(phone));
        Assert.Empty(await OutboundAsync(tenant, id));
        Assert.Equal(1, await LeadsRecordedAsync(tenant));
        var conversation = await tenant.Http.GetJsonAsync($"/api/conversations/{id}");
        Assert.Null(conversation["draft"]);
        Assert.Equal("Dana", conversation["contact"]!["firstName"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_autopilot_the_opener_goes_out_once_per_key()
    {
        var tenant = await TenantAsync("Autopilot");
        var phone = NextNumber();

        var (_, id) = await PostLeadAsync(tenant, "zap-auto-1", phone);
        await PostLeadAsync(tenant, "zap-auto-1", phone);

        var sent = await Eventually.GetAsync(() => Task.FromResult(CarrierSendsTo(phone)), s => s.Count > 0);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Contains("Hi Dana, this is Maple Realty", Assert.Single(CarrierSendsTo(phone)), StringComparison.Ordinal);
        Assert.Single(sent);
        Assert.Null((await tenant.Http.GetJsonAsync($"/api/conversations/{id}"))["draft"]);
    }

    [Fact]
    public async Task The_conversations_own_mode_wins_over_the_agents_for_a_returning_lead()
    {
        var tenant = await TenantAsync("Autopilot");
        var phone = NextNumber();
        var (_, id) = await PostLeadAsync(tenant, "crm-return-1", phone);
        await Eventually.GetAsync(() => Task.FromResult(CarrierSendsTo(phone)), s => s.Count == 1);
        (await tenant.Http.PutAsJsonAsync($"/api/conversations/{id}/ai/mode", new { mode = "Suggest" })).EnsureSuccessStatusCode();

        var (_, sameConversation) = await PostLeadAsync(tenant, "crm-return-2", phone);

        Assert.Equal(id, sameConversation);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Single(CarrierSendsTo(phone));
        Assert.NotNull((await tenant.Http.GetJsonAsync($"/api/conversations/{id}"))["draft"]);
    }

    /// <summary>The opener is the business's template (or the lead's own words), not a reply the model wrote: in both
    /// modes it is charged by its segments like any text sent, never as an AI reply, and it does not use a turn.</summary>
    [Theory]
    [InlineData("Autopilot")]
    [InlineData("Suggest")]
    public async Task The_opener_costs_its_segments_and_no_ai_reply_in_either_mode(string mode)
    {
        var tenant = await TenantAsync(mode);
        var phone = NextNumber();
        var (_, id) = await PostLeadAsync(tenant, $"form-price-{mode}", phone);
        if (mode == "Suggest")
        {
            var sent = await (await tenant.Http.PostAsync($"/api/conversations/{id}/draft/send", null)).EnsureSuccessStatusCode().ReadJsonAsync();
            Assert.True(sent["isAi"]!.GetValue<bool>());
        }

        await Eventually.GetAsync(() => Task.FromResult(CarrierSendsTo(phone)), s => s.Count == 1);
        await Eventually.GetAsync(() => ChargesAsync(tenant, WalletEntryKind.SmsSentCharge), n => n == 1);
        await fixture.App.WorkDrainedAsync(tenant.Id);

        Assert.Equal(0, await ChargesAsync(tenant, WalletEntryKind.AiReplyCharge));
        var opener = Assert.Single(await OutboundAsync(tenant, id));
        Assert.True(opener.IsAi);
        Assert.Null(opener.ChargeKey);
        var conversation = await tenant.Http.GetJsonAsync($"/api/conversations/{id}");
        Assert.Equal(0, conversation["turns"]!.GetValue<int>());
        Assert.All(conversation["phones"]!.AsArray(), p => Assert.Equal(0, p!["turns"]!.GetValue<int>()));
    }
}
