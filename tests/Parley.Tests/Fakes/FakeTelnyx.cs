using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Parley.Messaging.Telnyx;

namespace Parley.Tests.Fakes;

/// <summary>One text the fake accepted, exactly as it arrived.</summary>
public sealed record FakeTelnyxSend(
    string MessageId,
    string From,
    string To,
    string Text,
    string? MessagingProfileId,
    string? IdempotencyKey,
    string RawBody,
    int Parts,
    string Encoding,
    DateTimeOffset ReceivedAt);

/// <summary>
/// A local HTTP server speaking Telnyx's Messaging API v2 wire format, plus signed webhooks the way Telnyx
/// sends them. Where Telnyx's exact code for a case is undocumented, the code used here is marked as the fake's.
/// </summary>
public sealed partial class FakeTelnyx : IAsyncDisposable
{
    public const string DefaultApiKey = "KEY0123456789ABCDEF_fake";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly byte[] _privateKey;
    private readonly object _gate = new();
    private readonly List<FakeTelnyxSend> _sends = [];
    private readonly Dictionary<string, List<FakeTelnyxSend>> _sendsTo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sendCountFrom = new(StringComparer.Ordinal);
    private readonly Queue<ScriptedFailure> _failures = new();
    private readonly Dictionary<string, (string RawBody, string ResponseJson)> _idempotent = new(StringComparer.Ordinal);
    private int _requestCount;

    private FakeTelnyx(WebApplication app, string apiKey, TimeProvider time)
    {
        _app = app;
        _time = time;
        ApiKey = apiKey;

        _privateKey = TelnyxSigning.NewPrivateKey();
        PublicKeyBase64 = Convert.ToBase64String(TelnyxSigning.PublicKeyFor(_privateKey));

        app.MapPost("/v2/messages", (RequestDelegate)HandleSendAsync);
        MapTenDlc(app);
    }

    public static async Task<FakeTelnyx> StartAsync(string apiKey = DefaultApiKey, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeTelnyx(builder.Build(), apiKey, time ?? TimeProvider.System);
        await fake._app.StartAsync();
        fake.BaseUrl = new Uri(fake._app.Urls.First());
        return fake;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>: use as <c>Parley:Telnyx:BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string ApiKey { get; }

    /// <summary>The fake account's Ed25519 public key (base64 of 32 bytes): use as <c>Parley:Telnyx:PublicKey</c>.</summary>
    public string PublicKeyBase64 { get; }

    /// <summary>Holds each <c>POST /v2/messages</c> response this long after the send was recorded, as a
    /// Telnyx that accepted the text but whose answer has not arrived yet (for crash and timeout tests).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Recipients that texted STOP: sends to them fail with 40300.</summary>
    public ICollection<string> BlockedNumbers { get; } = new LockedSet();

    /// <summary>Every accepted send, in order; idempotent replays are not new sends.</summary>
    public IReadOnlyList<FakeTelnyxSend> Sends
    {
        get
        {
            lock (_gate)
            {
                return [.. _sends];
            }
        }
    }

    /// <summary>How many texts were accepted in all, without copying them (a load generator polls this).</summary>
    public int SendCount
    {
        get
        {
            lock (_gate)
            {
                return _sends.Count;
            }
        }
    }

    /// <summary>The texts accepted for one recipient, in order.</summary>
    public IReadOnlyList<FakeTelnyxSend> SendsTo(string to)
    {
        lock (_gate)
        {
            return _sendsTo.TryGetValue(to, out var sends) ? [.. sends] : [];
        }
    }

    /// <summary>How many texts were accepted from one sending number.</summary>
    public int SendCountFrom(string from)
    {
        lock (_gate)
        {
            return _sendCountFrom.GetValueOrDefault(from);
        }
    }

    /// <summary>All <c>POST /v2/messages</c> requests, including refused and replayed ones.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The next <paramref name="times"/> sends (after authentication) fail with this error envelope.</summary>
    public void FailNext(int status, string code, string title, string? detail = null, int times = 1, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _failures.Enqueue(new ScriptedFailure(status, code, title, detail, retryAfter));
            }
        }
    }

    /// <summary>Configuration that points Parley at this fake.</summary>
    public Dictionary<string, string?> AppSettings() => new()
    {
        ["Parley:Carrier"] = "Telnyx",
        ["Parley:Telnyx:BaseUrl"] = BaseUrl.ToString(),
        ["Parley:Telnyx:ApiKey"] = ApiKey,
        ["Parley:Telnyx:PublicKey"] = PublicKeyBase64,
    };

    public TelnyxOptions ClientOptions() => new()
    {
        BaseUrl = BaseUrl.ToString(),
        ApiKey = ApiKey,
        PublicKey = PublicKeyBase64,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    // ---- webhooks -------------------------------------------------------------------------------------

    public string MessageReceivedJson(string eventId, string messageId, string from, string to, string text, DateTime? at = null)
    {
        var when = at ?? _time.GetUtcNow().UtcDateTime;
        var (encoding, parts) = Segments(text);
        var payload = new JsonObject
        {
            ["cc"] = new JsonArray(),
            ["completed_at"] = null,
            ["cost"] = new JsonObject { ["amount"] = "0.0040", ["currency"] = "USD" },
            ["direction"] = "inbound",
            ["encoding"] = encoding,
            ["errors"] = new JsonArray(),
            ["from"] = new JsonObject { ["carrier"] = "T-Mobile USA", ["line_type"] = "Wireless", ["phone_number"] = from },
            ["id"] = messageId,
            ["media"] = new JsonArray(),
            ["messaging_profile_id"] = ProfileId,
            ["organization_id"] = OrganizationId,
            ["parts"] = parts,
            ["received_at"] = Iso(when),
            ["record_type"] = "message",
            ["sent_at"] = null,
            ["subject"] = "",
            ["tags"] = new JsonArray(),
            ["tcr_campaign_billable"] = false,
            ["tcr_campaign_id"] = CampaignId,
            ["tcr_campaign_registered"] = "REGISTERED",
            ["text"] = text,
            ["to"] = new JsonArray(new JsonObject { ["carrier"] = "Telnyx", ["line_type"] = "Wireless", ["phone_number"] = to, ["status"] = "webhook_delivered" }),
            ["type"] = "SMS",
            ["valid_until"] = null,
            ["webhook_failover_url"] = null,
            ["webhook_url"] = WebhookUrl,
        };
        return Envelope(eventId, TelnyxWebhook.MessageReceived, when, payload);
    }

    /// <summary><c>message.sent</c> for a message this fake accepted (or for explicit numbers).</summary>
    public string MessageSentJson(string eventId, string messageId, DateTime? at = null, string? from = null, string? to = null) =>
        OutboundEvent(eventId, TelnyxWebhook.MessageSent, messageId, "sent", null, null, null, at, from, to);

    /// <summary><c>message.finalized</c>: <paramref name="status"/> is Telnyx's (<c>delivered</c>, <c>delivery_failed</c>…).</summary>
    public string MessageFinalizedJson(
        string eventId,
        string messageId,
        string status,
        string? errorCode = null,
        string? errorTitle = null,
        string? errorDetail = null,
        DateTime? at = null,
        string? from = null,
        string? to = null) =>
        OutboundEvent(eventId, TelnyxWebhook.MessageFinalized, messageId, status, errorCode, errorTitle, errorDetail, at, from, to);

    /// <summary>A POST of <paramref name="json"/> signed with this fake's key, as Telnyx delivers it.</summary>
    public HttpRequestMessage SignedWebhook(string json, DateTimeOffset? timestamp = null, string path = "/webhooks/telnyx")
    {
        var body = Encoding.UTF8.GetBytes(json);
        var unix = (timestamp ?? _time.GetUtcNow()).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.RelativeOrAbsolute))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(TelnyxSignature.SignatureHeader, TelnyxSigning.Sign(_privateKey, unix, body));
        request.Headers.TryAddWithoutValidation(TelnyxSignature.TimestampHeader, unix.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("User-Agent", "telnyx-webhooks");
        return request;
    }

    /// <summary>The signature header Telnyx would send for these bytes at <paramref name="unixSeconds"/>.</summary>
    public string Sign(long unixSeconds, ReadOnlySpan<byte> body) => TelnyxSigning.Sign(_privateKey, unixSeconds, body);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- POST /v2/messages ----------------------------------------------------------------------------

    private const string ProfileId = "400174b1-8f51-4e58-9a2a-9b4b1c2b6d2e";
    private const string OrganizationId = "2ab3b1f4-0e4b-4f0a-8f7b-0d7d2b4d5c11";
    private const string CampaignId = "CQ5ZSXY";
    private const string WebhookUrl = "https://parley.example.com/webhooks/telnyx";

    private async Task HandleSendAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var rawBody = Encoding.UTF8.GetString(buffer.ToArray());

        var (status, json, retryAfter) = Decide(context.Request.Headers.Authorization.ToString(), context.Request.Headers["Idempotency-Key"].ToString(), rawBody);

        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private (int Status, string Json, TimeSpan? RetryAfter) Decide(string authorization, string idempotencyKey, string rawBody)
    {
        lock (_gate)
        {
            if (authorization != $"Bearer {ApiKey}")
            {
                return (401, Errors("10009", "Authentication failed", "The API key looks malformed. Check that you copied it correctly."), null);
            }

            if (_failures.TryDequeue(out var failure))
            {
                return (failure.Status, Errors(failure.Code, failure.Title, failure.Detail), failure.RetryAfter);
            }

            var key = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey;
            if (key is not null && _idempotent.TryGetValue(key, out var earlier))
            {
                return earlier.RawBody == rawBody
                    ? (200, earlier.ResponseJson, null)
                    // The fake's code: Telnyx documents the header, not a code for its misuse.
                    : (422, Errors("10015", "Idempotency key reused", "This Idempotency-Key was used with a different request body."), null);
            }

            if (Validate(rawBody) is { } invalid)
            {
                return invalid;
            }

            using var document = JsonDocument.Parse(rawBody);
            var root = document.RootElement;
            var from = root.GetProperty("from").GetString()!;
            var to = root.GetProperty("to").GetString()!;
            var text = root.GetProperty("text").GetString()!;
            var profileId = root.TryGetProperty("messaging_profile_id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

            if (BlockedNumbers.Contains(to))
            {
                return (400, Errors("40300", "Blocked due to STOP message", "The message could not be sent because the recipient has opted out (replied STOP)."), null);
            }

            var id = Guid.NewGuid().ToString();
            var now = _time.GetUtcNow();
            var (encoding, parts) = Segments(text);
            var send = new FakeTelnyxSend(id, from, to, text, profileId, key, rawBody, parts, encoding, now);
            _sends.Add(send);
            (CollectionsMarshal.GetValueRefOrAddDefault(_sendsTo, to, out _) ??= []).Add(send);
            CollectionsMarshal.GetValueRefOrAddDefault(_sendCountFrom, from, out _)++;

            var response = new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["record_type"] = "message",
                    ["direction"] = "outbound",
                    ["id"] = id,
                    ["type"] = "SMS",
                    ["messaging_profile_id"] = profileId ?? ProfileId,
                    ["organization_id"] = OrganizationId,
                    ["from"] = new JsonObject { ["phone_number"] = from, ["carrier"] = "Telnyx", ["line_type"] = "Wireless" },
                    ["to"] = new JsonArray(new JsonObject { ["phone_number"] = to, ["status"] = "queued", ["carrier"] = "T-Mobile USA", ["line_type"] = "Wireless" }),
                    ["cc"] = new JsonArray(),
                    ["text"] = text,
                    ["media"] = new JsonArray(),
                    ["webhook_url"] = WebhookUrl,
                    ["webhook_failover_url"] = null,
                    ["encoding"] = encoding,
                    ["parts"] = parts,
                    ["tags"] = new JsonArray(),
                    ["cost"] = new JsonObject { ["amount"] = (0.004m * parts).ToString("0.0000", CultureInfo.InvariantCulture), ["currency"] = "USD" },
                    ["tcr_campaign_id"] = CampaignId,
                    ["tcr_campaign_billable"] = true,
                    ["tcr_campaign_registered"] = "REGISTERED",
                    ["received_at"] = Iso(now.UtcDateTime),
                    ["sent_at"] = null,
                    ["completed_at"] = null,
                    ["valid_until"] = Iso(now.UtcDateTime.AddHours(4)),
                    ["errors"] = new JsonArray(),
                    ["wait_seconds"] = 0.0,
                },
            }.ToJsonString(Compact);

            if (key is not null)
            {
                _idempotent[key] = (rawBody, response);
            }

            return (200, response, null);
        }
    }

    private static (int, string, TimeSpan?)? Validate(string rawBody)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(rawBody);
        }
        catch (JsonException)
        {
            // The fake's code for an unreadable body.
            return (400, Errors("10015", "Bad Request", "The request body is not valid JSON."), null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (400, Errors("10015", "Bad Request", "The request body must be a JSON object."), null);
            }

            foreach (var name in new[] { "from", "to" })
            {
                if (!root.TryGetProperty(name, out var number) || number.ValueKind == JsonValueKind.Null)
                {
                    return (422, Errors("10004", "Missing required parameter", $"The '{name}' parameter is required.", name), null);
                }

                if (number.ValueKind != JsonValueKind.String || !IsE164(number.GetString()!))
                {
                    return (422, Errors("10016", "Phone number must be in +E.164 format", $"The '{name}' parameter must be a phone number in +E.164 format.", name), null);
                }
            }

            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || text.GetString()!.Length == 0)
            {
                return (422, Errors("10004", "Missing required parameter", "The 'text' parameter is required for SMS.", "text"), null);
            }

            if (root.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() is "SMS" or "MMS"))
            {
                return (422, Errors("10005", "Invalid parameter value", "The 'type' parameter must be SMS or MMS.", "type"), null);
            }

            return null;
        }
    }

    private static bool IsE164(string value) =>
        value.Length is >= 8 and <= 16 && value[0] == '+' && value[1] != '0' && value.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static string Errors(string code, string title, string? detail, string? pointer = null)
    {
        var error = new JsonObject { ["code"] = code, ["title"] = title };
        if (detail is not null)
        {
            error["detail"] = detail;
        }

        if (pointer is not null)
        {
            error["source"] = new JsonObject { ["pointer"] = "/" + pointer };
        }

        error["meta"] = new JsonObject { ["url"] = $"https://developers.telnyx.com/docs/overview/errors/{code}" };
        return new JsonObject { ["errors"] = new JsonArray(error) }.ToJsonString(Compact);
    }

    private string OutboundEvent(
        string eventId, string eventType, string messageId, string status,
        string? errorCode, string? errorTitle, string? errorDetail,
        DateTime? at, string? from, string? to)
    {
        var sent = Sends.FirstOrDefault(s => s.MessageId == messageId);
        var when = at ?? _time.GetUtcNow().UtcDateTime;
        var text = sent?.Text ?? "Hi, this is Parley.";
        var (encoding, parts) = sent is null ? Segments(text) : (sent.Encoding, sent.Parts);
        var errors = new JsonArray();
        if (errorCode is not null)
        {
            errors.Add(new JsonObject
            {
                ["code"] = errorCode,
                ["title"] = errorTitle ?? DeliveryErrorTitle(errorCode),
                ["detail"] = errorDetail ?? DeliveryErrorTitle(errorCode),
            });
        }

        var finalized = eventType == TelnyxWebhook.MessageFinalized;
        var payload = new JsonObject
        {
            ["cc"] = new JsonArray(),
            ["completed_at"] = finalized ? Iso(when) : null,
            ["cost"] = new JsonObject { ["amount"] = (0.004m * parts).ToString("0.0000", CultureInfo.InvariantCulture), ["currency"] = "USD" },
            ["direction"] = "outbound",
            ["encoding"] = encoding,
            ["errors"] = errors,
            ["from"] = new JsonObject { ["carrier"] = "Telnyx", ["line_type"] = "Wireless", ["phone_number"] = from ?? sent?.From ?? "+13125550100" },
            ["id"] = messageId,
            ["media"] = new JsonArray(),
            ["messaging_profile_id"] = sent?.MessagingProfileId ?? ProfileId,
            ["organization_id"] = OrganizationId,
            ["parts"] = parts,
            ["received_at"] = Iso((sent?.ReceivedAt.UtcDateTime ?? when).AddSeconds(-1)),
            ["record_type"] = "message",
            ["sent_at"] = Iso(when),
            ["subject"] = null,
            ["tags"] = new JsonArray(),
            ["tcr_campaign_billable"] = true,
            ["tcr_campaign_id"] = CampaignId,
            ["tcr_campaign_registered"] = "REGISTERED",
            ["text"] = text,
            ["to"] = new JsonArray(new JsonObject { ["carrier"] = "T-Mobile USA", ["line_type"] = "Wireless", ["phone_number"] = to ?? sent?.To ?? "+13125550199", ["status"] = status }),
            ["type"] = "SMS",
            ["valid_until"] = Iso(when.AddHours(4)),
            ["webhook_failover_url"] = null,
            ["webhook_url"] = WebhookUrl,
        };
        return Envelope(eventId, eventType, when, payload);
    }

    private static string DeliveryErrorTitle(string code) => code switch
    {
        "40001" => "Not routable",
        "40002" => "Blocked as spam - temporary",
        "40003" => "Blocked as spam - permanent",
        "40004" => "Rejected by destination",
        "40006" => "Recipient server unavailable",
        "40011" => "Too many messages",
        "40012" => "Invalid destination number",
        "40013" => "Invalid source number",
        "40014" => "Message expired during transmission",
        "40300" => "Blocked due to STOP message",
        _ => "Message delivery failed",
    };

    private static string Envelope(string eventId, string eventType, DateTime when, JsonObject payload) =>
        new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["event_type"] = eventType,
                ["id"] = eventId,
                ["occurred_at"] = Iso(when),
                ["payload"] = payload,
                ["record_type"] = "event",
            },
            ["meta"] = new JsonObject { ["attempt"] = 1, ["delivered_to"] = WebhookUrl },
        }.ToJsonString(Compact);

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture);

    private const string Gsm7Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Gsm7Extension = "^{}\\[~]|€\f";

    /// <summary>Telnyx's encoding name and segment count: GSM-7 160/153 septets, else UCS-2 70/67 code units.</summary>
    private static (string Encoding, int Parts) Segments(string text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            if (Gsm7Basic.Contains(c, StringComparison.Ordinal))
            {
                septets++;
            }
            else if (Gsm7Extension.Contains(c, StringComparison.Ordinal))
            {
                septets += 2;
            }
            else
            {
                septets = -1;
                break;
            }
        }

        return septets >= 0
            ? ("GSM-7", septets <= 160 ? 1 : (septets + 152) / 153)
            : ("UCS-2", text.Length <= 70 ? 1 : (text.Length + 66) / 67);
    }

    private sealed record ScriptedFailure(int Status, string Code, string Title, string? Detail, TimeSpan? RetryAfter);

    private sealed class LockedSet : ICollection<string>
    {
        private readonly HashSet<string> _items = new(StringComparer.Ordinal);

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(string item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(string item)
        {
            lock (_items)
            {
                return _items.Contains(item);
            }
        }

        public void CopyTo(string[] array, int arrayIndex)
        {
            lock (_items)
            {
                _items.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(string item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<string> GetEnumerator()
        {
            lock (_items)
            {
                return _items.ToList().GetEnumerator();
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
