using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Web;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Parley.Messaging.Telnyx;

/// <summary>Sends SMS through Telnyx's Messaging API v2. A typed HttpClient registered by
/// <see cref="TelnyxHttp.AddTelnyxCarrier"/>, whose handler holds the quick retries, the attempt timeout and the
/// circuit breaker; this class turns Telnyx's answer into a <see cref="SendResult"/>.</summary>
public sealed partial class TelnyxCarrier : ICarrier
{
    public const string IdempotencyHeader = "Idempotency-Key";

    private const string OptedOutCode = "40300";

    /// <summary>Telnyx's "too many requests" (account) and "too many messages" (per number) codes.</summary>
    private static readonly HashSet<string> RateLimitedCodes = ["10011", "40011"];

    // Not embedded in HTML, so no need to escape '+' or non-ASCII; the bytes stay readable and deterministic.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http;
    private readonly ILogger<TelnyxCarrier> _logger;
    private readonly Uri _messagesUri;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _breakDuration;

    public TelnyxCarrier(HttpClient http, IOptions<TelnyxOptions> options, TimeProvider timeProvider, ILogger<TelnyxCarrier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _http = http;
        _logger = logger;
        _timeProvider = timeProvider;
        _messagesUri = new Uri(settings.BaseUrl.TrimEnd('/') + "/v2/messages", UriKind.Absolute);
        _authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey ?? "");
        _breakDuration = settings.CircuitBreakDuration;
    }

    public string Name => "Telnyx";

    public async Task<SendResult> SendAsync(OutboundSms sms, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        LogSending(_logger, idempotencyKey, sms.From, sms.To);

        // The resilience handler may send this request more than once: the body is bytes, re-readable and identical,
        // and the Idempotency-Key is what makes a repeat safe (the handler never retries a POST without one).
        using var request = new HttpRequestMessage(HttpMethod.Post, _messagesUri);
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        request.Content = new ByteArrayContent(SerializeSendBody(sms));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            LogCircuitOpen(_logger, idempotencyKey, _breakDuration);
            return new SendResult.Transient("circuit-open", "Telnyx has been failing; sends pause until it recovers.", _breakDuration);
        }
        catch (Exception ex) when (HttpFailures.IsTransient(ex, cancellationToken))
        {
            LogTransportFailure(_logger, idempotencyKey, ex.GetType().Name);
            return ex is TimeoutRejectedException or OperationCanceledException
                ? new SendResult.Transient("timeout", "Telnyx did not answer in time.")
                : new SendResult.Transient("network", $"Telnyx could not be reached: {ex.GetType().Name}.");
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

    private async Task<SendResult> MapResponseAsync(HttpResponseMessage response, string idempotencyKey, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        byte[] content;
        try
        {
            content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception ex) when (HttpFailures.IsTransient(ex, cancellationToken))
        {
            content = [];
        }

        if (response.IsSuccessStatusCode)
        {
            if (TelnyxResponses.TryReadAccepted(content, out var messageId, out var parts))
            {
                LogAccepted(_logger, idempotencyKey, messageId, parts);
                return new SendResult.Accepted(messageId, parts);
            }

            // Telnyx may have taken it; resending under the same idempotency key cannot double-send.
            LogUnreadableSuccess(_logger, idempotencyKey, status);
            return new SendResult.Transient(status.ToString(CultureInfo.InvariantCulture), "Telnyx answered success without a message id.");
        }

        var error = TelnyxError.Read(content);
        if (error?.Code == OptedOutCode)
        {
            LogOptedOut(_logger, idempotencyKey);
            return new SendResult.OptedOut(OptedOutCode, error.Message ?? "Blocked due to STOP message");
        }

        var code = error?.Code ?? status.ToString(CultureInfo.InvariantCulture);
        var detail = error?.Message ?? $"Telnyx answered HTTP {status} {response.ReasonPhrase}".TrimEnd() + ".";
        var retryAfter = HttpFailures.RetryAfter(response, _timeProvider);

        if (response.StatusCode == HttpStatusCode.TooManyRequests || RateLimitedCodes.Contains(code))
        {
            LogRetryLater(_logger, idempotencyKey, status, code, retryAfter);
            return new SendResult.RateLimited(code, detail, retryAfter);
        }

        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            LogRetryLater(_logger, idempotencyKey, status, code, retryAfter);
            return new SendResult.Transient(code, detail, retryAfter);
        }

        LogRejected(_logger, idempotencyKey, status, code);
        LogRejectedDetail(_logger, idempotencyKey, detail);
        return new SendResult.Rejected(code, detail);
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx send {IdempotencyKey} not attempted: circuit open, retry after {RetryAfter}")]
    private static partial void LogCircuitOpen(ILogger logger, string idempotencyKey, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx send {IdempotencyKey} answered HTTP {Status} without a readable message id")]
    private static partial void LogUnreadableSuccess(ILogger logger, string idempotencyKey, int status);
}
