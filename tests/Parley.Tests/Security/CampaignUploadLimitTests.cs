using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Security;

public sealed class SmallCampaignsApp() : ParleyApp(new Dictionary<string, string?>
{
    ["Parley:Limits:CampaignRecipientsPerUpload"] = "1000",
    ["Parley:Limits:CampaignRecipientsPerCampaign"] = "1500",
    ["Parley:Limits:CampaignPhoneColumns"] = "5",
});

/// <summary>An audience cannot grow past its caps by adding rows, phone columns or uploads; a refused file adds nothing.</summary>
public sealed class CampaignUploadLimitTests(SmallCampaignsApp app) : IClassFixture<SmallCampaignsApp>
{
    private static int tenants = 8500;

    [Fact]
    public async Task Hundreds_of_phone_columns_are_refused_naming_the_limit()
    {
        var (tenant, id) = await CampaignAsync();
        var header = "first_name," + string.Join(',', Enumerable.Range(1, 300).Select(i => $"phone{i}"));
        var rows = Enumerable.Range(0, 50).Select(r => $"Ana{r}," + string.Join(',', Enumerable.Range(0, 300).Select(c => Phone(r * 300 + c))));

        using var response = await UploadAsync(tenant, id, header, rows);

        Assert.Contains("Parley:Limits:CampaignPhoneColumns", await response.AssertProblemAsync(400), StringComparison.Ordinal);
        Assert.Equal(0, await RecipientsAsync(tenant, id));
    }

    [Fact]
    public async Task More_phones_than_an_upload_may_add_is_a_413_and_adds_none()
    {
        var (tenant, id) = await CampaignAsync();
        var rows = Enumerable.Range(0, 201).Select(r => $"Bo{r}," + string.Join(',', Enumerable.Range(0, 5).Select(c => Phone(r * 5 + c))));

        using var response = await UploadAsync(tenant, id, "name,phone,phone2,mobile,cell,work phone", rows);

        Assert.Contains("Parley:Limits:CampaignRecipientsPerUpload", await response.AssertProblemAsync(413), StringComparison.Ordinal);
        Assert.Equal(0, await RecipientsAsync(tenant, id));
    }

    [Fact]
    public async Task An_upload_exactly_at_the_cap_is_taken()
    {
        var (tenant, id) = await CampaignAsync();

        using var response = await UploadAsync(tenant, id, "phone", Enumerable.Range(0, 1000).Select(Phone));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000, await RecipientsAsync(tenant, id));
    }

    [Fact]
    public async Task Uploads_cannot_grow_a_campaign_past_its_cap_and_the_refused_one_changes_nothing()
    {
        var (tenant, id) = await CampaignAsync();
        (await UploadAsync(tenant, id, "phone", Enumerable.Range(0, 800).Select(Phone))).EnsureSuccessStatusCode();

        using var response = await UploadAsync(tenant, id, "phone", Enumerable.Range(800, 800).Select(Phone));

        Assert.Contains("Parley:Limits:CampaignRecipientsPerCampaign", await response.AssertProblemAsync(409), StringComparison.Ordinal);
        Assert.Equal(800, await RecipientsAsync(tenant, id));
    }

    [Fact]
    public async Task A_create_request_with_more_recipients_than_the_cap_is_a_400()
    {
        var tenant = await app.CreateTenantAsync(number: $"+1905555{Interlocked.Increment(ref tenants):D4}", name: "Big List Realty");

        var response = await tenant.Http.PostAsync("/api/campaigns", Json(new
        {
            name = "Spring open house",
            message = "Hi {firstName}, open house Saturday!",
            aiEnabled = false,
            recipients = Enumerable.Range(0, 1001).Select(i => new { phone = Phone(i) }).ToArray(),
        }));

        Assert.Contains("CampaignRecipientsPerUpload", await response.AssertProblemAsync(400), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.Campaigns.CountAsync(), tenant.Id));
    }

    [Fact]
    public async Task A_csv_row_with_a_control_character_is_reported_and_the_rest_added()
    {
        var (tenant, id) = await CampaignAsync();

        using var response = await UploadAsync(tenant, id, "first name,phone", [$"Ana,{Phone(1)}", $"Bo\0b,{Phone(2)}", $"Cy,{Phone(3)}"]);

        var import = await response.ReadJsonAsync();
        Assert.Equal(2, import["added"]!.GetValue<int>());
        Assert.Contains("control character", import["rejected"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<(TenantClient Tenant, string Id)> CampaignAsync()
    {
        var tenant = await app.CreateTenantAsync(number: $"+1905555{Interlocked.Increment(ref tenants):D4}", name: "Audience Realty");
        var created = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Fall listings", message = "Hi {firstName}, new listings this week", aiEnabled = false });
        return (tenant, created["id"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> UploadAsync(TenantClient tenant, string id, string header, IEnumerable<string> rows) =>
        tenant.Http.PostAsync($"/api/campaigns/{id}/recipients.csv", new StringContent(header + "\n" + string.Join('\n', rows) + "\n", Encoding.UTF8, "text/csv"));

    private Task<int> RecipientsAsync(TenantClient tenant, string id) =>
        app.QueryAsync(db => db.CampaignRecipients.CountAsync(r => r.CampaignId == Guid.Parse(id)), tenant.Id);

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>Distinct valid North American numbers: 10,000 per area code.</summary>
    private static string Phone(int i) =>
        $"+1{(i / 10000) switch { 0 => "416", 1 => "647", 2 => "437", _ => "905" }}555{(i % 10000).ToString("D4", CultureInfo.InvariantCulture)}";
}
