using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Messaging.Sandbox;
using Parley.Messaging.Telnyx;
using Parley.Work;

namespace Parley.Tests.Infrastructure;

/// <summary>The real app in-process on its own SQLite file, with optional settings per test class.</summary>
public class ParleyApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key";

    private readonly Dictionary<string, string?> settings;
    private readonly TestDatabase database;

    public ParleyApp()
        : this(null)
    {
    }

    protected ParleyApp(IDictionary<string, string?>? overrides)
    {
        Folder = Directory.CreateTempSubdirectory("parley-test-").FullName;
        database = new TestDatabase(Folder);
        settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Parley:AdminApiKey"] = AdminKey,
            ["Parley:Agent:DebounceSeconds"] = "0",
            ["Parley:Work:IdlePoll"] = "00:00:00.200",
            ["Parley:Sandbox:WebhookKeyFile"] = Path.Combine(Folder, "sandbox-webhook-key.txt"),
            ["Parley:Calendar:KeysFolder"] = Path.Combine(Folder, "keys"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    public string Folder { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(ConfigureServices);
    }

    /// <summary>Extra registrations for a test class (test-only work handlers and the like).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>A carrier event signed with the key the Sandbox made for this install, as a developer would sign one
    /// with the key file; the app must have started (the key is made at start-up).</summary>
    public HttpRequestMessage SandboxSignedWebhook(string json, DateTimeOffset? timestamp = null)
    {
        _ = Server;
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        var unix = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telnyx") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var key = SandboxWebhookKey.ReadPrivateKey(settings["Parley:Sandbox:WebhookKeyFile"]!);
        request.Headers.TryAddWithoutValidation(TelnyxSignature.SignatureHeader, TelnyxSigning.Sign(key, unix, body));
        request.Headers.TryAddWithoutValidation(TelnyxSignature.TimestampHeader, unix.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>Creates a tenant with a number through the admin API, as an operator would.</summary>
    public async Task<TenantClient> CreateTenantAsync(string number = "+14165550100", string plan = "Growth", string a2pStatus = "Live", string name = "Maple Realty", decimal credit = 10m)
    {
        using var admin = Admin();
        var created = await admin.PostAsJsonAsync("/api/admin/tenants", new { name, plan, timeZone = "America/Toronto", a2pStatus });
        created.EnsureSuccessStatusCode();
        var tenant = (await created.Content.ReadFromJsonAsync<CreatedTenant>())!;
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenant.Id}/phone-numbers", new { number })).EnsureSuccessStatusCode();
        if (credit > 0)
        {
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenant.Id}/wallet/credits", new { amount = credit, note = "test top-up" })).EnsureSuccessStatusCode();
        }
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        return new TenantClient(tenant.Id, tenant.ApiKey, number, client);
    }

    /// <summary>Runs a query against the app's database as a given tenant (or none).</summary>
    public async Task<T> QueryAsync<T>(Func<ParleyDb, Task<T>> query, Guid? tenantId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        if (tenantId is { } id)
        {
            db.UseTenant(id);
        }

        return await query(db);
    }

    /// <summary>Waits until the tenant's background work that is due has all run: after it, whatever a text or
    /// an event was going to cause has happened, so a test can assert that something did not.</summary>
    public Task WorkDrainedAsync(Guid tenantId) =>
        Eventually.GetAsync(
            () => QueryAsync(db => db.WorkItems.IgnoreQueryFilters().CountAsync(w =>
                w.TenantId == tenantId && (w.Status == WorkStatus.Running || (w.Status == WorkStatus.Pending && w.DueAtUtc <= DateTime.UtcNow)))),
            pending => pending == 0);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        database.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public sealed record CreatedTenant(Guid Id, string ApiKey);
}

/// <summary>A <see cref="ParleyApp"/> with settings chosen by the caller.</summary>
public sealed class ConfiguredParleyApp(IDictionary<string, string?> settings) : ParleyApp(settings);

public sealed record TenantClient(Guid Id, string ApiKey, string Number, HttpClient Http);

public static class Eventually
{
    /// <summary>Polls until the background pipeline has done its part, or fails with what was last seen.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        T last;
        while (true)
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time; last value: {System.Text.Json.JsonSerializer.Serialize(last)}");
            }

            await Task.Delay(50);
        }
    }
}
