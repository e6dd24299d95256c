using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;
using Parley.Tests.Web;

namespace Parley.Tests.Security;

/// <summary>Values out of range or undefined get a 4xx, never a 500, and nothing undefined is stored.</summary>
public sealed class UnvalidatedInputTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 7100;

    [Theory]
    [InlineData("/?to=9999-12-31")]
    [InlineData("/?from=0001-01-01")]
    [InlineData("/?from=0001-01-01&to=9999-12-31")]
    [InlineData("/needs-attention?to=9999-12-31")]
    [InlineData("/?from=9999-12-31")]
    public async Task Dashboard_dates_at_the_ends_of_the_calendar_do_not_fail_the_page(string url)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(browser, $"owner-{Guid.NewGuid():N}@dates.example", business: "Far Future Dental")).EnsureSuccessStatusCode();

        using var response = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/onboarding", "Dismiss")]
    [InlineData("/agents", null)]
    [InlineData("/settings", "RotateKey")]
    public async Task A_bearer_key_on_a_dashboard_form_gets_a_clear_401_not_a_500(string page, string? handler)
    {
        var tenant = await app.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref numbers):D4}", name: "Bearer Realty");
        var url = handler is null ? page : $"{page}?handler={handler}";

        using var post = await tenant.Http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.Name"] = "x" }));
        using var get = await tenant.Http.GetAsync(page);

        Assert.Contains("sign in", await post.AssertProblemAsync(401), StringComparison.OrdinalIgnoreCase);
        await get.AssertProblemAsync(401);
    }

    [Theory]
    [InlineData("""{"name":"Plan 99 Realty","plan":99,"timeZone":"America/Toronto"}""")]
    [InlineData("""{"name":"Plan 99 Realty","plan":"99","timeZone":"America/Toronto"}""")]
    [InlineData("""{"name":"Plan 99 Realty","plan":-1,"timeZone":"America/Toronto"}""")]
    [InlineData("""{"name":"Plan 99 Realty","plan":"Growth","timeZone":"America/Toronto","a2pStatus":42}""")]
    public async Task An_undefined_enum_number_is_a_400_and_no_tenant_is_made(string json)
    {
        using var admin = app.Admin();

        using var response = await admin.PostAsync("/api/admin/tenants", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(400);
        Assert.False(await app.QueryAsync(db => db.Tenants.AnyAsync(t => t.Name == "Plan 99 Realty")));
    }

    [Fact]
    public async Task An_undefined_enum_number_in_a_patch_leaves_the_plan_as_it_was()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550702", name: "Patch Realty");
        using var admin = app.Admin();

        using var response = await admin.PatchAsync($"/api/admin/tenants/{tenant.Id}", new StringContent("""{"plan":99}""", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(400);
        Assert.Equal("Growth", (await tenant.Http.GetJsonAsync("/api/account"))["plan"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("99", "Live")]
    [InlineData("Growth", "42")]
    [InlineData("-1", "Pending")]
    public async Task An_undefined_enum_number_on_the_admin_page_is_a_400_and_the_plan_stays(string plan, string a2p)
    {
        var tenant = await app.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref numbers):D4}", name: "Admin Page Realty", plan: "Scale", a2pStatus: "Pending");
        var admin = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.PostAsync(admin, "/admin/signin", new Dictionary<string, string> { ["Key"] = ParleyApp.AdminKey })).EnsureSuccessStatusCode();

        using var response = await Forms.PostAsync(admin, $"/admin/tenants?id={tenant.Id}", new Dictionary<string, string> { ["plan"] = plan, ["a2p"] = a2p }, "Update");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var account = await tenant.Http.GetJsonAsync("/api/account");
        Assert.Equal("Scale", account["plan"]!.GetValue<string>());
    }

    [Fact]
    public async Task Enum_names_still_work()
    {
        using var admin = app.Admin();

        var created = await admin.PostAsJsonAsync("/api/admin/tenants", new { name = "Named Plan Realty", plan = "Scale", timeZone = "America/Vancouver", a2pStatus = "Pending" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
