using Microsoft.EntityFrameworkCore;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;
using Parley.Webhooks;

namespace Parley.Tests.Webhooks;

/// <summary>With the default settings Parley calls only public addresses: refused when the endpoint is added, and
/// again when a delivery connects (a name that resolves somewhere private by then).</summary>
public sealed class WebhookAddressTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 4000;

    private Task<TenantClient> TenantAsync() => app.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref numbers):D4}");

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "loopback")]
    [InlineData("http://localhost/hook", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://10.0.0.5/hook", "private")]
    [InlineData("http://192.168.1.20/hook", "private")]
    [InlineData("http://[::1]/hook", "loopback")]
    [InlineData("http://[fd00::1]/hook", "private")]
    [InlineData("http://[::ffff:127.0.0.1]/hook", "loopback")]
    public async Task A_private_address_is_refused_when_the_endpoint_is_added(string url, string reason)
    {
        var tenant = await TenantAsync();
        var response = await tenant.Http.PostAsync("/api/webhooks", System.Net.Http.Json.JsonContent.Create(new { url, events = new[] { "*" } }));
        var problem = await response.AssertProblemAsync(400);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Contains("Parley__Webhooks__AllowPrivateUrls", problem, StringComparison.Ordinal);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/webhooks")).AsArray());
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_at_delivery_is_refused_and_never_called()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await TenantAsync();
        var port = new Uri(receiver.BaseUrl).Port;
        var endpointId = Guid.CreateVersion7();

        // As if the name resolved to a public address when it was added, and to loopback now.
        await app.QueryAsync(async db =>
        {
            db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                Id = endpointId,
                TenantId = tenant.Id,
                Url = $"http://localhost:{port}/rebound",
                Events = "*",
                Secret = WebhooksApi.NewSecret(),
                CreatedAtUtc = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        }, tenant.Id);

        await tenant.Http.PostJsonAsync($"/api/webhooks/{endpointId}/test", new { });
        var delivery = await Eventually.GetAsync(
            async () => (await tenant.Http.GetJsonAsync($"/api/webhooks/{endpointId}/deliveries"))[0]!,
            d => d["status"]!.GetValue<string>() != "Pending");
        Assert.Equal("Failed", delivery["status"]!.GetValue<string>());
        Assert.Contains("loopback", delivery["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>());
        await app.WorkDrainedAsync(tenant.Id);
        Assert.Empty(receiver.Received);
        Assert.Equal(1, await app.QueryAsync(db => db.WebhookDeliveries.CountAsync(), tenant.Id));
    }
}
