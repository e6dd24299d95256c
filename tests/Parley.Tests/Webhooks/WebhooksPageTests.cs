using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;
using Parley.Tests.Web;

namespace Parley.Tests.Webhooks;

/// <summary>The Webhooks page: an owner manages the business's endpoints in the dashboard through the API's own
/// handlers; teammates only look, and another business's endpoint is not there at all.</summary>
public sealed partial class WebhooksPageTests(WebhookApp fixture) : IClassFixture<WebhookApp>
{
    private static int accounts;

    private HttpClient Browser() => fixture.App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private static async Task<(HttpClient Owner, Guid TenantId)> OwnerAsync(WebhookApp fixture, HttpClient browser)
    {
        var email = $"owner{Interlocked.Increment(ref accounts)}@hooks.example";
        await Forms.SignUpAsync(browser, email, business: "Hook Realty");
        var tenantId = await fixture.App.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        return (browser, tenantId);
    }

    private static Task<HttpResponseMessage> AddAsync(HttpClient owner, string url, params string[] events) =>
        Forms.PostFieldsAsync(owner, "/webhooks", [new("EndpointUrl", url), .. events.Select(e => new KeyValuePair<string, string>("Events", e))]);

    private Task<List<Parley.Webhooks.WebhookEndpoint>> EndpointsAsync(Guid tenantId) =>
        fixture.App.QueryAsync(db => db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.TenantId == tenantId).ToListAsync());

    [Fact]
    public async Task An_owner_adds_an_endpoint_copies_its_secret_once_and_a_test_event_arrives_signed_with_it()
    {
        var (owner, tenantId) = await OwnerAsync(fixture, Browser());
        var path = $"/page-hooks/{tenantId:N}";

        var added = await (await AddAsync(owner, fixture.Receiver.BaseUrl + path, "message.received", "appointment.scheduled")).Content.ReadAsStringAsync();
        var secret = SecretIn(added);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Contains("message.received, appointment.scheduled", added, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await owner.GetStringAsync("/webhooks"), StringComparison.Ordinal); // shown once

        var endpoint = Assert.Single(await EndpointsAsync(tenantId));
        await Forms.PostAsync(owner, $"/webhooks?id={endpoint.Id}", new Dictionary<string, string>(), "Test");
        var test = await Eventually.GetAsync(() => Task.FromResult(fixture.Receiver.At(path)), r => r.Count == 1);
        Assert.Equal("webhook.test", test[0].Type);
        WebhookReceiver.Verify(test[0], secret);

        var page = await Eventually.GetAsync(() => owner.GetStringAsync("/webhooks"), html => html.Contains("Delivered", StringComparison.Ordinal));
        Assert.Contains("HTTP 200", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotated_secret_signs_the_next_delivery_and_the_old_one_no_longer_verifies()
    {
        var (owner, tenantId) = await OwnerAsync(fixture, Browser());
        var path = $"/page-rotate/{tenantId:N}";
        var first = SecretIn(await (await AddAsync(owner, fixture.Receiver.BaseUrl + path, "*")).Content.ReadAsStringAsync());
        var endpoint = Assert.Single(await EndpointsAsync(tenantId));

        var rotated = await (await Forms.PostAsync(owner, $"/webhooks?id={endpoint.Id}", new Dictionary<string, string>(), "Rotate")).Content.ReadAsStringAsync();
        var second = SecretIn(rotated);
        Assert.StartsWith("whsec_", second, StringComparison.Ordinal);
        Assert.NotEqual(first, second);

        await Forms.PostAsync(owner, $"/webhooks?id={endpoint.Id}", new Dictionary<string, string>(), "Test");
        var test = (await Eventually.GetAsync(() => Task.FromResult(fixture.Receiver.At(path)), r => r.Count == 1))[0];
        WebhookReceiver.Verify(test, second);
        Assert.ThrowsAny<Exception>(() => WebhookReceiver.Verify(test, first));
    }

    [Theory]
    [InlineData("not a url", "message.received", "full http or https address")]
    [InlineData("ftp://example.com/hook", "message.received", "Only http and https addresses")]
    [InlineData("https://example.com/hook", "", "Name the event types")]
    [InlineData("https://example.com/hook", "message.teleported", "Unknown event type")]
    public async Task A_bad_endpoint_is_refused_beside_the_form_and_nothing_is_added(string url, string events, string message)
    {
        var (owner, tenantId) = await OwnerAsync(fixture, Browser());

        var response = await AddAsync(owner, url, events.Length == 0 ? [] : [events]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = FieldErrors().Matches(await response.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal)); // beside the form, not just anywhere on the page
        Assert.Empty(await EndpointsAsync(tenantId));
    }

    [Fact]
    public async Task A_teammate_sees_the_endpoints_but_cannot_change_them()
    {
        var (owner, tenantId) = await OwnerAsync(fixture, Browser());
        await AddAsync(owner, fixture.Receiver.BaseUrl + $"/page-team/{tenantId:N}", "*");
        var mateEmail = $"mate{Interlocked.Increment(ref accounts)}@hooks.example";
        await Forms.PostAsync(owner, "/settings", new Dictionary<string, string> { ["InviteEmail"] = mateEmail, ["InvitePassword"] = "temporary-pass-1" }, "Invite");
        var mate = Browser();
        await Forms.PostAsync(mate, "/signin", new Dictionary<string, string> { ["Email"] = mateEmail, ["Password"] = "temporary-pass-1" });
        var endpoint = Assert.Single(await EndpointsAsync(tenantId));

        var page = await mate.GetStringAsync("/webhooks");
        Assert.Contains(endpoint.Url, page, StringComparison.Ordinal);
        Assert.DoesNotContain("Add an endpoint", page, StringComparison.Ordinal);
        var delete = await Forms.PostAsync(mate, $"/webhooks?id={endpoint.Id}", new Dictionary<string, string>(), "Delete");
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Single(await EndpointsAsync(tenantId));
    }

    [Fact]
    public async Task Another_businesss_endpoint_is_not_found_and_stays_as_it_was()
    {
        var (owner, tenantId) = await OwnerAsync(fixture, Browser());
        await AddAsync(owner, fixture.Receiver.BaseUrl + $"/page-other/{tenantId:N}", "*");
        var theirs = Assert.Single(await EndpointsAsync(tenantId));
        var (intruder, _) = await OwnerAsync(fixture, Browser());

        foreach (var handler in new[] { "Delete", "Rotate", "Test", "Enable" })
        {
            var response = await Forms.PostAsync(intruder, $"/webhooks?id={theirs.Id}", new Dictionary<string, string>(), handler);
            Assert.Contains("Not found.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(theirs.Url, await intruder.GetStringAsync("/webhooks"), StringComparison.Ordinal);
        var after = Assert.Single(await EndpointsAsync(tenantId));
        Assert.Equal(theirs.Secret, after.Secret);
        Assert.Empty(fixture.Receiver.At($"/page-other/{tenantId:N}"));
    }

    /// <summary>The secret as the person sees it on the page (the HTML decoded).</summary>
    private static string SecretIn(string html) => WebUtility.HtmlDecode(Secret().Match(html).Groups[1].Value);

    [GeneratedRegex("class=\"field-error\">([^<]+)<")]
    private static partial Regex FieldErrors();

    [GeneratedRegex("id=\"secret\">([^<]+)<")]
    private static partial Regex Secret();
}
