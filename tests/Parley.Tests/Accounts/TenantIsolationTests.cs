using System.Net;
using System.Net.Http.Json;
using Parley.Accounts;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Accounts;

/// <summary>No key of one tenant reaches another's data: another tenant's resource is a 404.</summary>
public sealed class TenantIsolationTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Another_tenants_conversation_is_invisible_and_untouchable()
    {
        var owner = await app.CreateTenantAsync(number: "+14165550501", name: "Owner Co");
        var intruder = await app.CreateTenantAsync(number: "+14165550502", name: "Intruder Co");
        var conversation = await owner.Http.PostJsonAsync("/api/conversations", new { to = "+14165550601", contactName = "Secret Client", message = "Private" });
        var id = conversation["id"]!.GetValue<string>();
        var number = "+14165550601";

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.GetAsync($"/api/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.GetAsync($"/api/conversations/{id}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "hijack" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.PostAsJsonAsync($"/api/conversations/{id}/ai/pause", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.PostAsJsonAsync($"/api/conversations/{id}/phones/{Uri.EscapeDataString(number)}/ai/resume", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.PutAsJsonAsync($"/api/conversations/{id}/guide", new { guide = "x" })).StatusCode);
        Assert.Empty((await intruder.Http.GetJsonAsync("/api/conversations")).AsArray());
        Assert.Empty((await intruder.Http.GetJsonAsync("/api/conversations?search=Secret")).AsArray());
        Assert.Empty((await intruder.Http.GetJsonAsync("/api/assistants")).AsArray());

        var contactId = conversation["contact"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Http.GetAsync($"/api/contacts/{contactId}")).StatusCode);

        // The intruder texting the same person gets its own contact and conversation, never the owner's.
        var own = await intruder.Http.PostJsonAsync("/api/conversations", new { to = number, message = "Hello from us" });
        Assert.NotEqual(id, own["id"]!.GetValue<string>());
        Assert.Null(own["contact"]!["firstName"]);
        Assert.Single((await owner.Http.GetJsonAsync($"/api/conversations/{id}/messages")).AsArray());
    }

    [Fact]
    public async Task Every_tenant_owned_entity_is_filtered_by_tenant()
    {
        var unfiltered = await app.QueryAsync(db => Task.FromResult(db.Model.GetEntityTypes()
            .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && t.GetDeclaredQueryFilters().Count == 0)
            .Select(t => t.ClrType.Name).ToList()));
        Assert.Empty(unfiltered);
    }

    [Fact]
    public async Task Without_a_tenant_in_scope_tenant_data_reads_as_empty()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550503");
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550603", message = "Hi" });
        Assert.Equal(0, await app.QueryAsync(db => Task.FromResult(db.Conversations.Count())));
        Assert.Equal(1, await app.QueryAsync(db => Task.FromResult(db.Conversations.Count()), tenant.Id));
    }
}
