using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;
using Xunit;

namespace Parley.Tests.Web;

/// <summary>The conversations pages say since when the AI model has been failing.</summary>
public sealed class ModelFailingBannerTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task The_conversations_pages_show_since_when_the_model_is_failing()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await Forms.SignUpAsync(client, "banner@birch.example");
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "banner@birch.example").Select(u => u.TenantId).FirstAsync());
        Assert.DoesNotContain("AI model failing since", await client.GetStringAsync("/"), StringComparison.Ordinal);

        await app.QueryAsync(db => db.Tenants.Where(t => t.Id == tenantId).ExecuteUpdateAsync(u => u
            .SetProperty(t => t.ModelFailingSinceUtc, new DateTime(2026, 12, 2, 14, 5, 0, DateTimeKind.Utc))
            .SetProperty(t => t.ModelFailureReason, "The model answered HTTP 500.")));

        foreach (var page in new[] { "/", "/needs-attention" })
        {
            var html = await client.GetStringAsync(page);
            Assert.Contains("AI model failing since", html, StringComparison.Ordinal);
            Assert.Contains("The model answered HTTP 500.", html, StringComparison.Ordinal);
        }
    }
}
