using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Parley.Messaging.Telnyx;

/// <summary>Sends SMS through Telnyx's Messaging API v2. A typed HttpClient: <c>services.AddHttpClient&lt;TelnyxCarrier&gt;()</c>.</summary>
public sealed partial class TelnyxCarrier : ICarrier
{
    public const string IdempotencyHeader = "Idempotency-Key";

    private const string OptedOutCode = "40300";
    private const string RateLimitedCode = "10011";

    // Longer waits than this go back to the durable queue instead of holding a worker.
    private static readonly TimeSpan MaxInProcessRetryAfter = TimeSpan.FromSeconds(2);

    // Not embedded in HTML, so no need to escape '+' or non-ASCII; the bytes stay readable and deterministic.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http;
    private readonly ILogger<TelnyxCarrier> _logger;
    private readonly Uri _messagesUri;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _timeProvider;

    public TelnyxCarrier(HttpClient http, IOptions<TelnyxOptions> options, TimeProvider timeProvider, ILogger<TelnyxCarrier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _http = http;
        _logger = logger;
        _timeProvider = timeProvider;
        _messagesUri = new Uri(settings.BaseUrl.TrimEnd('/') + "/v2/messages", UriKind.Absolute);
        _authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey ?? "");
        _pipeline = BuildPipeline(settings, timeProvider, logger);
    }

    public string Name => "Telnyx";

    /// <summary>A couple of quick retries with jittered exponential backoff, each attempt under its own timeout.
    /// HttpClient.Timeout should stay above RequestTimeout × attempts.</summary>
    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(TelnyxOptions settings, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (settings.InProcessRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.InProcessRetries,
                Delay = settings.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsWorthRetryingNow(args.Outcome, timeProvider, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter(r, timeProvider) : null),
                OnRetry = args =>
                {
                    var status = args.Outcome.Result is { } r ? (int)r.StatusCode : (int?)null;
                    var failure = args.Outcome.Exception?.GetType().Name;
                    LogRetrying(logger, args.AttemptNumber + 1, status, failure, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(settings.RequestTimeout).Build();
    }

    public async Task<CarrierSendResult> SendAsync(OutboundSms sms, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        LogSending(_logger, idempotencyKey, sms.From, sms.To);
        var body = SerializeSendBody(sms);

        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    // A request message can be sent only once: build a fresh one, same bytes, per attempt.
                    using var request = new HttpRequestMessage(HttpMethod.Post, state.Carrier._messagesUri);
                    request.Headers.Authorization = state.Carrier._authorization;
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    request.Headers.TryAddWithoutValidation(IdempotencyHeader, state.Key);
                    request.Content = new ByteArrayContent(state.Body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    return await state.Carrier._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                },
                (Carrier: this, Key: idempotencyKey, Body: body),
                cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            LogTransportFailure(_logger, idempotencyKey, ex.GetType().Name);
            var timedOut = ex is TimeoutRejectedException or OperationCanceledException;
            return new CarrierSendResult(
                CarrierSendOutcome.RetryLater,
                ErrorCode: timedOut ? "timeout" : "network",
                ErrorDetail: timedOut ? "Telnyx did not answer in time." : $"Telnyx could not be reached: {ex.GetType().Name}.");
        }

        using (response)
        {
            return await MapResponseAsync(response, idempotencyKey, cancellationToken);
        }
    }

    /// <summary>The request body; the same message always yields the same bytes, so a retried key matches.</summary>
    public static byte[] SerializeSendBody(OutboundSms sms)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("from", sms.From);
            writer.WriteString("to", sms.To);
            writer.WriteString("text", sms.Text);
            if (sms.MessagingProfileId is not null)
            {
                writer.WriteString("messaging_profile_id", sms.MessagingProfileId);
            }

            writer.WriteString("type", "SMS");
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task<CarrierSendResult> MapResponseAsync(HttpResponseMessage response, string idempotencyKey, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        byte[] content;
        try
        {
            content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            content = [];
        }

        if (response.IsSuccessStatusCode)
        {
            if (TryReadAccepted(content, out var messageId, out var parts))
            {
                LogAccepted(_logger, idempotencyKey, messageId, parts);
                return CarrierSendResult.Accepted(messageId, parts);
            }

            // Telnyx may have taken it; resending under the same idempotency key cannot double-send.
            LogUnreadableSuccess(_logger, idempotencyKey, status);
            return new CarrierSendResult(CarrierSendOutcome.RetryLater, ErrorCode: status.ToString(CultureInfo.InvariantCulture),
                ErrorDetail: "Telnyx answered success without a message id.");
        }

        var (code, detail) = TryReadError(content);
        if (code == OptedOutCode)
        {
            LogOptedOut(_logger, idempotencyKey);
            return new CarrierSendResult(CarrierSendOutcome.OptedOut, ErrorCode: code, ErrorDetail: detail ?? "Blocked due to STOP message");
        }

        code ??= status.ToString(CultureInfo.InvariantCulture);
        detail ??= $"Telnyx answered HTTP {status} {response.ReasonPhrase}".TrimEnd() + ".";

        if (response.StatusCode == HttpStatusCode.TooManyRequests || code == RateLimitedCode || status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            var retryAfter = RetryAfter(response, _timeProvider);
            LogRetryLater(_logger, idempotencyKey, status, code, retryAfter);
            return new CarrierSendResult(CarrierSendOutcome.RetryLater, ErrorCode: code, ErrorDetail: detail, RetryAfter: retryAfter);
        }

        LogRejected(_logger, idempotencyKey, status, code);
        LogRejectedDetail(_logger, idempotencyKey, detail);
        return new CarrierSendResult(CarrierSendOutcome.Rejected, ErrorCode: code, ErrorDetail: detail);
    }

    private static bool IsWorthRetryingNow(Outcome<HttpResponseMessage> outcome, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } ex)
        {
            return IsTransient(ex, cancellationToken);
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // Telnyx asked for a pause longer than we want to hold a worker: hand it to the durable queue.
            return RetryAfter(response, timeProvider) is not { } wait || wait <= MaxInProcessRetryAfter;
        }

        return status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
    }

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException or TimeoutRejectedException or IOException => true,
        // HttpClient.Timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static bool TryReadAccepted(byte[] content, out string messageId, out int? parts)
    {
        messageId = "";
        parts = null;
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("id", out var id)
                || id.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(id.GetString()))
            {
                return false;
            }

            messageId = id.GetString()!;
            if (data.TryGetProperty("parts", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n))
            {
                parts = n;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static (string? Code, string? Detail) TryReadError(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array
                || errors.GetArrayLength() == 0
                || errors[0].ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var first = errors[0];
            var code = first.TryGetProperty("code", out var c) ? c.ValueKind switch
            {
                JsonValueKind.String => c.GetString(),
                JsonValueKind.Number => c.GetRawText(),
                _ => null,
            } : null;
            var detail = StringOrNull(first, "detail");
            var title = StringOrNull(first, "title");
            var message = (title, detail) switch
            {
                (null, null) => null,
                (null, _) => detail,
                (_, null) => title,
                _ when detail!.StartsWith(title!, StringComparison.OrdinalIgnoreCase) => detail,
                _ => $"{title}: {detail}",
            };
            return (string.IsNullOrEmpty(code) ? null : code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    // Phone numbers and text only at Debug: they are personal data.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Telnyx send {IdempotencyKey} from {From} to {To}")]
    private static partial void LogSending(ILogger logger, string idempotencyKey, string from, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx accepted {IdempotencyKey} as {CarrierMessageId} ({Parts} parts)")]
    private static partial void LogAccepted(ILogger logger, string idempotencyKey, string carrierMessageId, int? parts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx refused {IdempotencyKey}: recipient opted out (40300)")]
    private static partial void LogOptedOut(ILogger logger, string idempotencyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx rejected {IdempotencyKey}: HTTP {Status} code {ErrorCode}")]
    private static partial void LogRejected(ILogger logger, string idempotencyKey, int status, string errorCode);

    // Telnyx's detail can echo the phone number.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Telnyx rejected {IdempotencyKey}: {ErrorDetail}")]
    private static partial void LogRejectedDetail(ILogger logger, string idempotencyKey, string errorDetail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx send {IdempotencyKey} to retry later: HTTP {Status} code {ErrorCode}, retry after {RetryAfter}")]
    private static partial void LogRetryLater(ILogger logger, string idempotencyKey, int status, string errorCode, TimeSpan? retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx send {IdempotencyKey} to retry later: {ExceptionType}")]
    private static partial void LogTransportFailure(ILogger logger, string idempotencyKey, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx send {IdempotencyKey} answered HTTP {Status} without a readable message id")]
    private static partial void LogUnreadableSuccess(ILogger logger, string idempotencyKey, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx retry {Retry} after HTTP {Status} {ExceptionType}, waiting {Delay}")]
    private static partial void LogRetrying(ILogger logger, int retry, int? status, string? exceptionType, TimeSpan delay);
}
