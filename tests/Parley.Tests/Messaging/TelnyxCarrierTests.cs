using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Messaging;
using Parley.Messaging.Telnyx;
using Parley.Tests.Fakes;
using Xunit;

namespace Parley.Tests.Messaging;

public sealed class TelnyxCarrierTests : IAsyncLifetime
{
    private static readonly OutboundSms Hello = new("+17735550188", "+13125550142", "Hi Robert, Thursday at 3pm is booked.", "400174b1-8f51-4e58-9a2a-9b4b1c2b6d2e");

    private FakeTelnyx _telnyx = null!;
    private HttpClient _http = null!;
    private readonly List<ServiceProvider> _providers = [];

    public async Task InitializeAsync()
    {
        _telnyx = await FakeTelnyx.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _http.Dispose();
        await _telnyx.DisposeAsync();
    }

    /// <summary>A carrier as Parley registers it: typed HttpClient plus its resilience handler.</summary>
    private TelnyxCarrier Carrier(Action<TelnyxOptions>? configure = null)
    {
        var options = _telnyx.ClientOptions();
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(options));
        services.AddTelnyxCarrier();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<TelnyxCarrier>();
    }

    [Fact]
    public async Task Accepted_send_returns_telnyx_message_id_and_parts()
    {
        var result = await Carrier().SendAsync(Hello, "msg-1", CancellationToken.None);

        var resultAccepted = Assert.IsType<SendResult.Accepted>(result);
        var send = Assert.Single(_telnyx.Sends);
        Assert.Equal(send.MessageId, resultAccepted.CarrierMessageId);
        Assert.True(Guid.TryParse(resultAccepted.CarrierMessageId, out _));
        Assert.Equal(1, resultAccepted.Parts);
        Assert.Equal(Hello.From, send.From);
        Assert.Equal(Hello.To, send.To);
        Assert.Equal(Hello.Text, send.Text);
        Assert.Equal(Hello.MessagingProfileId, send.MessagingProfileId);
        Assert.Equal("msg-1", send.IdempotencyKey);
    }

    [Fact]
    public async Task Body_is_telnyx_json_in_a_fixed_order_and_omits_a_missing_profile()
    {
        await Carrier().SendAsync(Hello with { MessagingProfileId = null, Text = "Olá 👋 \"quoted\"" }, "msg-2", CancellationToken.None);

        var send = Assert.Single(_telnyx.Sends);
        Assert.Equal("Olá 👋 \"quoted\"", send.Text);
        Assert.Null(send.MessagingProfileId);
        Assert.StartsWith("{\"from\":\"+17735550188\",\"to\":\"+13125550142\",\"text\":", send.RawBody, StringComparison.Ordinal);
        Assert.EndsWith(",\"type\":\"SMS\"}", send.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("messaging_profile_id", send.RawBody, StringComparison.Ordinal);
        Assert.Equal("UCS-2", send.Encoding);
    }

    [Fact]
    public async Task Long_text_reports_the_segment_count_telnyx_gives()
    {
        var result = await Carrier().SendAsync(Hello with { Text = new string('a', 161) }, "msg-long", CancellationToken.None);

        var resultAccepted = Assert.IsType<SendResult.Accepted>(result);
        Assert.Equal(2, resultAccepted.Parts);
    }

    [Fact]
    public async Task Retrying_with_the_same_key_replays_the_first_acceptance_without_a_second_delivery()
    {
        var carrier = Carrier();

        var first = await carrier.SendAsync(Hello, "msg-3", CancellationToken.None);
        var again = await Carrier().SendAsync(Hello, "msg-3", CancellationToken.None);

        var againAccepted = Assert.IsType<SendResult.Accepted>(again);
        Assert.Equal(Assert.IsType<SendResult.Accepted>(first).CarrierMessageId, againAccepted.CarrierMessageId);
        Assert.Single(_telnyx.Sends);
        Assert.Equal(2, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Serialisation_is_byte_identical_for_the_same_message()
    {
        var a = TelnyxCarrier.SerializeSendBody(Hello);
        var b = TelnyxCarrier.SerializeSendBody(Hello with { });

        Assert.Equal(a, b);
        Assert.Equal(
            "{\"from\":\"+17735550188\",\"to\":\"+13125550142\",\"text\":\"Hi Robert, Thursday at 3pm is booked.\",\"messaging_profile_id\":\"400174b1-8f51-4e58-9a2a-9b4b1c2b6d2e\",\"type\":\"SMS\"}",
            Encoding.UTF8.GetString(a));
    }

    [Fact]
    public async Task Same_key_with_a_different_text_is_rejected_not_sent()
    {
        await Carrier().SendAsync(Hello, "msg-4", CancellationToken.None);

        var result = await Carrier().SendAsync(Hello with { Text = "Something else" }, "msg-4", CancellationToken.None);

        var resultRejected = Assert.IsType<SendResult.Rejected>(result);
        Assert.Single(_telnyx.Sends);
    }

    [Fact]
    public async Task Recipient_who_texted_stop_is_opted_out()
    {
        _telnyx.BlockedNumbers.Add(Hello.To);

        var result = await Carrier().SendAsync(Hello, "msg-5", CancellationToken.None);

        var resultOptedOut = Assert.IsType<SendResult.OptedOut>(result);
        Assert.Equal("40300", resultOptedOut.Code);
        Assert.Contains("opted out", resultOptedOut.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_telnyx.Sends);
        Assert.Equal(1, _telnyx.RequestCount);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(422)]
    public async Task Code_40300_is_opted_out_and_never_retried(int status)
    {
        _telnyx.FailNext(status, "40300", "Blocked due to STOP message");

        var result = await Carrier().SendAsync(Hello, "msg-6", CancellationToken.None);

        var resultOptedOut = Assert.IsType<SendResult.OptedOut>(result);
        Assert.Equal(1, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Code_40300_on_a_server_error_status_is_still_opted_out()
    {
        // A 5xx is retried on its status alone; once retries run out the 40300 in the body decides.
        _telnyx.FailNext(500, "40300", "Blocked due to STOP message", times: 3);

        var result = await Carrier().SendAsync(Hello, "msg-6b", CancellationToken.None);

        var resultOptedOut = Assert.IsType<SendResult.OptedOut>(result);
        Assert.Empty(_telnyx.Sends);
    }

    [Fact]
    public async Task Invalid_destination_is_rejected_with_telnyx_detail()
    {
        var result = await Carrier().SendAsync(Hello with { To = "3125550142" }, "msg-7", CancellationToken.None);

        var resultRejected = Assert.IsType<SendResult.Rejected>(result);
        Assert.Equal("10016", resultRejected.Code);
        Assert.Contains("+E.164", resultRejected.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Scripted_422_is_rejected_with_code_and_detail()
    {
        _telnyx.FailNext(422, "10002", "Invalid phone number", "The 'to' number is not a valid phone number.");

        var result = await Carrier().SendAsync(Hello, "msg-8", CancellationToken.None);

        var resultRejected = Assert.IsType<SendResult.Rejected>(result);
        Assert.Equal("10002", resultRejected.Code);
        Assert.Contains("The 'to' number is not a valid phone number.", resultRejected.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Wrong_api_key_is_rejected_without_retrying()
    {
        var result = await Carrier(o => o.ApiKey = "KEY_wrong").SendAsync(Hello, "msg-9", CancellationToken.None);

        var resultRejected = Assert.IsType<SendResult.Rejected>(result);
        Assert.Equal("10009", resultRejected.Code);
        Assert.Contains("Authentication failed", resultRejected.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _telnyx.RequestCount);
        Assert.Empty(_telnyx.Sends);
    }

    [Fact]
    public async Task Rate_limit_then_success_is_retried_in_process()
    {
        _telnyx.FailNext(429, "10011", "Too many requests", "Rate limit exceeded.");

        var result = await Carrier().SendAsync(Hello, "msg-10", CancellationToken.None);

        var resultAccepted = Assert.IsType<SendResult.Accepted>(result);
        Assert.Equal(2, _telnyx.RequestCount);
        Assert.Single(_telnyx.Sends);
    }

    [Fact]
    public async Task Server_error_then_success_is_retried_in_process_under_the_same_key()
    {
        _telnyx.FailNext(502, "10007", "Unexpected error", times: 2);

        var result = await Carrier().SendAsync(Hello, "msg-11", CancellationToken.None);

        var resultAccepted = Assert.IsType<SendResult.Accepted>(result);
        Assert.Equal(3, _telnyx.RequestCount);
        Assert.Equal("msg-11", Assert.Single(_telnyx.Sends).IdempotencyKey);
    }

    [Fact]
    public async Task Persistent_503_gives_up_quickly_and_asks_to_retry_later()
    {
        _telnyx.FailNext(503, "10007", "Service unavailable", times: 10);

        var result = await Carrier().SendAsync(Hello, "msg-12", CancellationToken.None);

        var resultTransient = Assert.IsType<SendResult.Transient>(result);
        Assert.Equal("10007", resultTransient.Code);
        Assert.Equal(3, _telnyx.RequestCount);
        Assert.Empty(_telnyx.Sends);
    }

    [Fact]
    public async Task Long_retry_after_is_handed_back_to_the_caller_instead_of_waiting()
    {
        _telnyx.FailNext(429, "10011", "Too many requests", retryAfter: TimeSpan.FromSeconds(30), times: 3);

        var watch = Stopwatch.StartNew();
        var result = await Carrier().SendAsync(Hello, "msg-13", CancellationToken.None);

        var resultRateLimited = Assert.IsType<SendResult.RateLimited>(result);
        Assert.Equal(TimeSpan.FromSeconds(30), resultRateLimited.RetryAfter);
        Assert.Equal(1, _telnyx.RequestCount);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Rate_limit_code_on_another_status_is_retry_later()
    {
        _telnyx.FailNext(400, "10011", "Too many requests");

        var result = await Carrier().SendAsync(Hello, "msg-14", CancellationToken.None);

        var resultRateLimited = Assert.IsType<SendResult.RateLimited>(result);
    }

    [Fact]
    public async Task Unreachable_telnyx_is_retry_later()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Carrier(o => o.BaseUrl = $"http://127.0.0.1:{closedPort}").SendAsync(Hello, "msg-15", CancellationToken.None);

        var resultTransient = Assert.IsType<SendResult.Transient>(result);
        Assert.Equal("network", resultTransient.Code);
    }

    [Fact]
    public async Task Slow_telnyx_times_out_and_is_retry_later_though_the_send_was_recorded()
    {
        _telnyx.Delay = TimeSpan.FromSeconds(5);

        var result = await Carrier(o => { o.RequestTimeout = TimeSpan.FromMilliseconds(300); o.InProcessRetries = 0; })
            .SendAsync(Hello, "msg-16", CancellationToken.None);

        var resultTransient = Assert.IsType<SendResult.Transient>(result);
        Assert.Equal("timeout", resultTransient.Code);
        Assert.Single(_telnyx.Sends);

        _telnyx.Delay = TimeSpan.Zero;
        var retried = await Carrier().SendAsync(Hello, "msg-16", CancellationToken.None);
        var retriedAccepted = Assert.IsType<SendResult.Accepted>(retried);
        Assert.Equal(_telnyx.Sends[0].MessageId, retriedAccepted.CarrierMessageId);
        Assert.Single(_telnyx.Sends);
    }

    [Fact]
    public async Task Caller_cancellation_propagates()
    {
        _telnyx.Delay = TimeSpan.FromSeconds(5);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Carrier().SendAsync(Hello, "msg-17", cts.Token));
    }

    [Fact]
    public async Task Unparseable_error_body_uses_the_http_status_as_code()
    {
        using var server = await RawServer.StartAsync(418, "<html>teapot</html>");

        var result = await Carrier(o => o.BaseUrl = server.Url).SendAsync(Hello, "msg-18", CancellationToken.None);

        var resultRejected = Assert.IsType<SendResult.Rejected>(result);
        Assert.Equal("418", resultRejected.Code);
        Assert.Contains("HTTP 418", resultRejected.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "40011", "Too many messages")]
    [InlineData(429, "10011", "Too many requests")]
    public async Task Rate_limit_with_a_long_retry_after_is_a_typed_push_back_for_the_queue(int status, string code, string title)
    {
        _telnyx.FailNext(status, code, title, retryAfter: TimeSpan.FromSeconds(60), times: 3);

        var result = await Carrier().SendAsync(Hello, "msg-20", CancellationToken.None);

        var limited = Assert.IsType<SendResult.RateLimited>(result);
        Assert.Equal(code, limited.Code);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.RetryAfter);
        Assert.Equal(1, _telnyx.RequestCount);
        Assert.Empty(_telnyx.Sends);
    }

    [Fact]
    public async Task Repeated_outage_opens_the_breaker_and_later_sends_do_not_reach_telnyx()
    {
        _telnyx.FailNext(503, "10007", "Service unavailable", times: 100);
        var carrier = Carrier(o => { o.InProcessRetries = 0; o.CircuitMinimumThroughput = 4; o.CircuitBreakDuration = TimeSpan.FromMinutes(5); });

        var results = new List<SendResult>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await carrier.SendAsync(Hello, $"msg-21-{i}", CancellationToken.None));
        }

        Assert.All(results, r => Assert.IsType<SendResult.Transient>(r));
        var open = Assert.IsType<SendResult.Transient>(results[^1]);
        Assert.Equal("circuit-open", open.Code);
        Assert.Equal(TimeSpan.FromMinutes(5), open.RetryAfter);
        Assert.Equal(4, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Rate_limits_do_not_open_the_breaker()
    {
        _telnyx.FailNext(429, "10011", "Too many requests", retryAfter: TimeSpan.FromSeconds(30), times: 6);
        var carrier = Carrier(o => { o.InProcessRetries = 0; o.CircuitMinimumThroughput = 4; });

        for (var i = 0; i < 6; i++)
        {
            Assert.IsType<SendResult.RateLimited>(await carrier.SendAsync(Hello, $"msg-22-{i}", CancellationToken.None));
        }

        Assert.IsType<SendResult.Accepted>(await carrier.SendAsync(Hello, "msg-22-ok", CancellationToken.None));
        Assert.Equal(7, _telnyx.RequestCount);
    }

    [Fact]
    public async Task A_post_without_an_idempotency_key_is_never_retried()
    {
        _telnyx.FailNext(503, "10007", "Service unavailable", times: 3);
        Carrier();
        var factory = _providers[^1].GetRequiredService<IHttpClientFactory>();
        using var client = factory.CreateClient(nameof(TelnyxCarrier));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_telnyx.BaseUrl, "/v2/messages"))
        {
            Content = new StringContent("{\"from\":\"+17735550188\",\"to\":\"+13125550142\",\"text\":\"hi\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", _telnyx.ApiKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _telnyx.RequestCount);

        // The same client retries the same call once it carries a key: the handler is there, the key is what allows it.
        using var keyed = new HttpRequestMessage(HttpMethod.Post, new Uri(_telnyx.BaseUrl, "/v2/messages")) { Content = request.Content };
        keyed.Headers.Authorization = request.Headers.Authorization;
        keyed.Headers.Add(TelnyxCarrier.IdempotencyHeader, "msg-23");
        using var retried = await client.SendAsync(keyed);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(4, _telnyx.RequestCount);
    }

    /// <summary>Answers every request with one fixed status and body, for bodies Telnyx never sends.</summary>
    private sealed class RawServer : IDisposable
    {
        private readonly WebApplication _app;

        private RawServer(WebApplication app) => _app = app;

        public string Url => _app.Urls.First();

        public static async Task<RawServer> StartAsync(int status, string body)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.Run(async context =>
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync(body);
            });
            await app.StartAsync();
            return new RawServer(app);
        }

        public void Dispose() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
