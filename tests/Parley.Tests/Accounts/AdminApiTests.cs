using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Accounts;

public sealed class AdminApiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Creating_a_tenant_returns_its_id_and_a_working_api_key()
    {
        using var admin = app.Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/tenants", new { name = "Harbour Homes", plan = "Scale", timeZone = "America/Vancouver", a2pStatus = "Pending" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        using var tenant = app.CreateClient();
        tenant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created["apiKey"]!.GetValue<string>());
        var account = await tenant.GetJsonAsync("/api/account");
        Assert.Equal(created["id"]!.GetValue<string>(), account["id"]!.GetValue<string>());
        Assert.Equal("Scale", account["plan"]!.GetValue<string>());
        Assert.Equal("Pending", account["a2pStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_api_key_is_stored_only_as_a_hash()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550150");
        var stored = await app.QueryAsync(db => Task.FromResult(db.Tenants.Single(t => t.Id == tenant.Id).ApiKeyHash));
        Assert.DoesNotContain(tenant.ApiKey, stored, StringComparison.Ordinal);
        Assert.Equal(64, stored.Length);
    }

    [Theory]
    [InlineData("""{"name":"X","plan":"Platinum","timeZone":"America/Toronto"}""")]
    [InlineData("""{"name":"X","plan":"Growth","timeZone":"Mars/Olympus"}""")]
    [InlineData("""{"name":"","plan":"Growth","timeZone":"America/Toronto"}""")]
    [InlineData("""{"plan":"Growth","timeZone":"America/Toronto"}""")]
    [InlineData("""{"name":"X","plan":"Growth","timeZone":"America/Toronto","a2pStatus":"Maybe"}""")]
    [InlineData("""{"name":"X","plan":"Growth","timeZone":"America/Toronto","defaultCountry":"ZZ"}""")]
    [InlineData("""not json""")]
    [InlineData("""[1,2]""")]
    public async Task Invalid_tenant_requests_get_a_problem_not_a_tenant(string body)
    {
        using var admin = app.Admin();
        var before = await app.QueryAsync(db => Task.FromResult(db.Tenants.Count()));
        var response = await admin.PostAsync("/api/admin/tenants", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(400);
        Assert.Equal(before, await app.QueryAsync(db => Task.FromResult(db.Tenants.Count())));
    }

    [Fact]
    public async Task Admin_endpoints_refuse_missing_wrong_and_tenant_keys()
    {
        using var anonymous = app.CreateClient();
        var body = new { name = "X", plan = "Growth", timeZone = "America/Toronto" };
        await (await anonymous.PostAsJsonAsync("/api/admin/tenants", body)).AssertProblemAsync(401);

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
        await (await anonymous.PostAsJsonAsync("/api/admin/tenants", body)).AssertProblemAsync(401);

        var tenant = await app.CreateTenantAsync(number: "+14165550151");
        await (await tenant.Http.PostAsJsonAsync("/api/admin/tenants", body)).AssertProblemAsync(403);
    }

    [Fact]
    public async Task Plan_and_a2p_status_can_be_changed()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550152", plan: "Launch", a2pStatus: "Pending");
        using var admin = app.Admin();
        var response = await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenant.Id}", new { plan = "Growth", a2pStatus = "Live" });
        response.EnsureSuccessStatusCode();
        var account = await tenant.Http.GetJsonAsync("/api/account");
        Assert.Equal("Growth", account["plan"]!.GetValue<string>());
        Assert.Equal("Live", account["a2pStatus"]!.GetValue<string>());

        var missing = await admin.PatchAsJsonAsync($"/api/admin/tenants/{Guid.NewGuid()}", new { plan = "Growth" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Wallet_credits_add_up_exactly()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550153", credit: 0);
        using var admin = app.Admin();
        await admin.PostJsonAsync($"/api/admin/tenants/{tenant.Id}/wallet/credits", new { amount = 10.10m, note = "first top-up" });
        var balance = await admin.PostJsonAsync($"/api/admin/tenants/{tenant.Id}/wallet/credits", new { amount = 0.20m });
        Assert.Equal(10.30m, balance["balance"]!.GetValue<decimal>());

        await (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenant.Id}/wallet/credits", new { amount = -5 })).AssertProblemAsync(400);
        await (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenant.Id}/wallet/credits", new { amount = 0.0000001m })).AssertProblemAsync(400);
        Assert.Equal(10.30m, (await tenant.Http.GetJsonAsync("/api/account"))["walletBalance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Phone_numbers_are_normalised_and_belong_to_one_tenant_only()
    {
        var first = await app.CreateTenantAsync(number: "(416) 555-0154");
        Assert.Equal("+14165550154", (await first.Http.GetJsonAsync("/api/account"))["phoneNumbers"]![0]!.GetValue<string>());

        using var admin = app.Admin();
        var second = await app.CreateTenantAsync(number: "+14165550155");
        await (await admin.PostAsJsonAsync($"/api/admin/tenants/{second.Id}/phone-numbers", new { number = "416-555-0154" })).AssertProblemAsync(409);
        await (await admin.PostAsJsonAsync($"/api/admin/tenants/{second.Id}/phone-numbers", new { number = "12" })).AssertProblemAsync(400);
    }
}
