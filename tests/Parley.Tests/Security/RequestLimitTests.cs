using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Security;

/// <summary>Parley with small limits, so that reaching them takes a handful of requests.</summary>
public sealed class TightRateApp() : ParleyApp(new Dictionary<string, string?>
{
    ["Parley:Limits:ApiRequestsPerMinute"] = "60",
    ["Parley:Limits:ApiBurst"] = "10",
});

public sealed class TightStreamsApp() : ParleyApp(new Dictionary<string, string?>
{
    ["Parley:Limits:EventStreamsPerTenant"] = "2",
    ["Parley:Limits:EventStreamsPerInstance"] = "3",
    ["Parley:Limits:EventStreamIdleTimeout"] = "00:00:01.500",
    ["Parley:Limits:EventStreamLifetime"] = "00:00:03",
});

/// <summary>One API key cannot take the process: requests are rate limited per key, and event streams are capped
/// per tenant and per instance, and end when idle and at the end of their lifetime.</summary>
public sealed class ApiRateLimitTests(TightRateApp app) : IClassFixture<TightRateApp>
{
    [Fact]
    public async Task A_key_past_its_rate_gets_429_with_retry_after_while_another_key_is_served()
    {
        var busy = await app.CreateTenantAsync(number: "+14165550801", name: "Busy Integration", credit: 0);
        var quiet = await app.CreateTenantAsync(number: "+14165550802", name: "Quiet Integration", credit: 0);

        var responses = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => busy.Http.GetAsync("/api/account")));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.True(refused[0].Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "Retry-After in seconds");
        Assert.Contains("Parley:Limits:ApiRequestsPerMinute", await refused[0].AssertProblemAsync(429), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await quiet.Http.GetAsync("/api/account")).StatusCode);
    }
}

public sealed class EventStreamLimitTests(TightStreamsApp app) : IClassFixture<TightStreamsApp>
{
    private static int numbers = 8100;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    [Fact]
    public async Task Streams_beyond_the_tenant_and_instance_caps_get_429_and_a_closed_one_frees_its_slot()
    {
        var first = await app.CreateTenantAsync(number: NextNumber(), name: "Many Tabs Realty");
        var second = await app.CreateTenantAsync(number: NextNumber(), name: "Other Realty");
        var third = await app.CreateTenantAsync(number: NextNumber(), name: "Third Realty");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var a = await OpenAsync(first, cts.Token);
        var b = await OpenAsync(first, cts.Token);
        using var overTenant = await OpenAsync(first, cts.Token);
        Assert.Contains("EventStreamsPerTenant", await overTenant.AssertProblemAsync(429), StringComparison.Ordinal);
        Assert.NotNull(overTenant.Headers.RetryAfter);

        var c = await OpenAsync(second, cts.Token);
        using var overInstance = await OpenAsync(third, cts.Token);
        Assert.Contains("EventStreamsPerInstance", await overInstance.AssertProblemAsync(429), StringComparison.Ordinal);

        a.Dispose();
        var again = await Eventually.GetAsync(async () => await OpenAsync(third, cts.Token), r => r.StatusCode == HttpStatusCode.OK || Dispose(r));
        Assert.Equal("text/event-stream", again.Content.Headers.ContentType?.MediaType);
        foreach (var open in new[] { b, c, again })
        {
            open.Dispose();
        }
    }

    [Fact]
    public async Task A_stream_with_no_events_ends_after_the_idle_timeout()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Idle Realty");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var clock = Stopwatch.StartNew();

        using var response = await OpenAsync(tenant, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        while (await reader.ReadLineAsync(cts.Token) is not null)
        {
        }

        Assert.InRange(clock.Elapsed.TotalSeconds, 1.0, 10);
    }

    [Fact]
    public async Task A_busy_stream_ends_at_the_end_of_its_lifetime()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Busy Stream Realty");
        var events = app.Services.GetRequiredService<ConversationEvents>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await OpenAsync(tenant, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var clock = Stopwatch.StartNew();
        using var publishing = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            while (!publishing.IsCancellationRequested)
            {
                events.Publish(tenant.Id, new ConversationEvent("conversation.updated", Guid.NewGuid(), null));
                await Task.Delay(100); // well inside the idle timeout, so only the lifetime can end the stream
            }
        });

        var received = 0;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            received += line.StartsWith("event:", StringComparison.Ordinal) ? 1 : 0;
        }

        await publishing.CancelAsync();
        await publisher;
        // Open past the idle timeout (1.5 s) with events arriving: the lifetime (3 s) is what ended it. The count
        // only shows events did reach it; a loaded machine may deliver fewer than were published.
        Assert.True(received >= 2, $"{received} events before the end; the stream was busy, not idle");
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.0, 10);
    }

    private static bool Dispose(HttpResponseMessage response)
    {
        response.Dispose();
        return false;
    }

    private static async Task<HttpResponseMessage> OpenAsync(TenantClient tenant, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        return await tenant.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
