using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
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

    public async Task InitializeAsync()
    {
        _telnyx = await FakeTelnyx.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _telnyx.DisposeAsync();
    }

    private TelnyxCarrier Carrier(Action<TelnyxOptions>? configure = null)
    {
        var options = _telnyx.ClientOptions();
        configure?.Invoke(options);
        return new TelnyxCarrier(_http, Options.Create(options), TimeProvider.System, NullLogger<TelnyxCarrier>.Instance);
    }

    [Fact]
    public async Task Accepted_send_returns_telnyx_message_id_and_parts()
    {
        var result = await Carrier().SendAsync(Hello, "msg-1", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.Accepted, result.Outcome);
        var send = Assert.Single(_telnyx.Sends);
        Assert.Equal(send.MessageId, result.CarrierMessageId);
        Assert.True(Guid.TryParse(result.CarrierMessageId, out _));
        Assert.Equal(1, result.Parts);
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

        Assert.Equal(CarrierSendOutcome.Accepted, result.Outcome);
        Assert.Equal(2, result.Parts);
    }

    [Fact]
    public async Task Retrying_with_the_same_key_replays_the_first_acceptance_without_a_second_delivery()
    {
        var carrier = Carrier();

        var first = await carrier.SendAsync(Hello, "msg-3", CancellationToken.None);
        var again = await Carrier().SendAsync(Hello, "msg-3", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.Accepted, again.Outcome);
        Assert.Equal(first.CarrierMessageId, again.CarrierMessageId);
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

        Assert.Equal(CarrierSendOutcome.Rejected, result.Outcome);
        Assert.Single(_telnyx.Sends);
    }

    [Fact]
    public async Task Recipient_who_texted_stop_is_opted_out()
    {
        _telnyx.BlockedNumbers.Add(Hello.To);

        var result = await Carrier().SendAsync(Hello, "msg-5", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.OptedOut, result.Outcome);
        Assert.Equal("40300", result.ErrorCode);
        Assert.Contains("opted out", result.ErrorDetail, StringComparison.OrdinalIgnoreCase);
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

        Assert.Equal(CarrierSendOutcome.OptedOut, result.Outcome);
        Assert.Equal(1, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Code_40300_on_a_server_error_status_is_still_opted_out()
    {
        // A 5xx is retried on its status alone; once retries run out the 40300 in the body decides.
        _telnyx.FailNext(500, "40300", "Blocked due to STOP message", times: 3);

        var result = await Carrier().SendAsync(Hello, "msg-6b", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.OptedOut, result.Outcome);
        Assert.Empty(_telnyx.Sends);
    }

    [Fact]
    public async Task Invalid_destination_is_rejected_with_telnyx_detail()
    {
        var result = await Carrier().SendAsync(Hello with { To = "3125550142" }, "msg-7", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.Rejected, result.Outcome);
        Assert.Equal("10016", result.ErrorCode);
        Assert.Contains("+E.164", result.ErrorDetail, StringComparison.Ordinal);
        Assert.Equal(1, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Scripted_422_is_rejected_with_code_and_detail()
    {
        _telnyx.FailNext(422, "10002", "Invalid phone number", "The 'to' number is not a valid phone number.");

        var result = await Carrier().SendAsync(Hello, "msg-8", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.Rejected, result.Outcome);
        Assert.Equal("10002", result.ErrorCode);
        Assert.Contains("The 'to' number is not a valid phone number.", result.ErrorDetail, StringComparison.Ordinal);
        Assert.Equal(1, _telnyx.RequestCount);
    }

    [Fact]
    public async Task Wrong_api_key_is_rejected_without_retrying()
    {
        var result = await Carrier(o => o.ApiKey = "KEY_wrong").SendAsync(Hello, "msg-9", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.Rejected, result.Outcome);
        Assert.Equal("10009", result.ErrorCode);
        Assert.Contains("Authentication failed", result.ErrorDetail, StringComparison.Ordinal);
        Assert.Equal(1, _telnyx.RequestCount);
        Assert.Empty(_telnyx.Sends);
    }

    [Fact]
    public async Task Rate_limit_then_success_is_retried_in_process()
    {
        _telnyx.FailNext(429, "10011", "Too many requests", "Rate limit exceeded.");

        var result = await Carrier().SendAsync(Hello, "msg-10", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.Accepted, result.Outcome);
        Assert.Equal(2, _telnyx.RequestCount);
        Assert.Single(_telnyx.Sends);
    }

    [Fact]
    public async Task Server_error_then_success_is_retried_in_process_under_the_same_key()
    {
        _telnyx.FailNext(502, "10007", "Unexpected error", times: 2);

        var result = await Carrier().SendAsync(Hello, "msg-11", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.Accepted, result.Outcome);
        Assert.Equal(3, _telnyx.RequestCount);
        Assert.Equal("msg-11", Assert.Single(_telnyx.Sends).IdempotencyKey);
    }

    [Fact]
    public async Task Persistent_503_gives_up_quickly_and_asks_to_retry_later()
    {
        _telnyx.FailNext(503, "10007", "Service unavailable", times: 10);

        var result = await Carrier().SendAsync(Hello, "msg-12", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.RetryLater, result.Outcome);
        Assert.Equal("10007", result.ErrorCode);
        Assert.Equal(3, _telnyx.RequestCount);
        Assert.Empty(_telnyx.Sends);
    }

    [Fact]
    public async Task Long_retry_after_is_handed_back_to_the_caller_instead_of_waiting()
    {
        _telnyx.FailNext(429, "10011", "Too many requests", retryAfter: TimeSpan.FromSeconds(30), times: 3);

        var watch = Stopwatch.StartNew();
        var result = await Carrier().SendAsync(Hello, "msg-13", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Equal(1, _telnyx.RequestCount);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Rate_limit_code_on_another_status_is_retry_later()
    {
        _telnyx.FailNext(400, "10011", "Too many requests");

        var result = await Carrier().SendAsync(Hello, "msg-14", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.RetryLater, result.Outcome);
    }

    [Fact]
    public async Task Unreachable_telnyx_is_retry_later()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Carrier(o => o.BaseUrl = $"http://127.0.0.1:{closedPort}").SendAsync(Hello, "msg-15", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.RetryLater, result.Outcome);
        Assert.Equal("network", result.ErrorCode);
    }

    [Fact]
    public async Task Slow_telnyx_times_out_and_is_retry_later_though_the_send_was_recorded()
    {
        _telnyx.Delay = TimeSpan.FromSeconds(5);

        var result = await Carrier(o => { o.RequestTimeout = TimeSpan.FromMilliseconds(300); o.InProcessRetries = 0; })
            .SendAsync(Hello, "msg-16", CancellationToken.None);

        Assert.Equal(CarrierSendOutcome.RetryLater, result.Outcome);
        Assert.Equal("timeout", result.ErrorCode);
        Assert.Single(_telnyx.Sends);

        _telnyx.Delay = TimeSpan.Zero;
        var retried = await Carrier().SendAsync(Hello, "msg-16", CancellationToken.None);
        Assert.Equal(CarrierSendOutcome.Accepted, retried.Outcome);
        Assert.Equal(_telnyx.Sends[0].MessageId, retried.CarrierMessageId);
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

        Assert.Equal(CarrierSendOutcome.Rejected, result.Outcome);
        Assert.Equal("418", result.ErrorCode);
        Assert.Contains("HTTP 418", result.ErrorDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Carrier_resolves_as_a_typed_http_client()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(_telnyx.ClientOptions()));
        services.AddHttpClient<TelnyxCarrier>();
        await using var provider = services.BuildServiceProvider();

        var carrier = provider.GetRequiredService<TelnyxCarrier>();
        var result = await carrier.SendAsync(Hello, "msg-19", CancellationToken.None);

        Assert.Equal("Telnyx", carrier.Name);
        Assert.Equal(CarrierSendOutcome.Accepted, result.Outcome);
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
