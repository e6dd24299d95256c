using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Webhooks;

/// <summary>Parley on the Telnyx carrier (so texts can be sent, delivered and fail) with a tenant's webhook receiver
/// on 127.0.0.1: private addresses allowed, and retries a fraction of a second apart.</summary>
public sealed class WebhookApp() : TelnyxApp(new()
{
    ["Parley:Webhooks:AllowPrivateUrls"] = "true",
    ["Parley:Webhooks:FirstRetryDelay"] = "00:00:00.100",
    ["Parley:Webhooks:MaxRetryDelay"] = "00:00:00.300",
})
{
    private static int numbers = 3000;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>A tenant with an endpoint at a path of its own; answers the endpoint's id and secret.</summary>
    public async Task<(TenantClient Tenant, string Id, string Secret, string Path)> TenantWithEndpointAsync(params string[] events)
    {
        var tenant = await App.CreateTenantAsync(number: NextNumber(), credit: 50);
        var path = $"/hooks/{tenant.Id:N}";
        var created = await tenant.Http.PostJsonAsync("/api/webhooks", new { url = Receiver.BaseUrl + path, events = events.Length == 0 ? ["*"] : events });
        return (tenant, created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>(), path);
    }
}
