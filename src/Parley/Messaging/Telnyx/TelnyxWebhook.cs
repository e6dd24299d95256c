using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Parley.Messaging.Telnyx;

/// <summary>One Telnyx webhook event. <see cref="EventId"/> (<c>data.id</c>) deduplicates retries;
/// <see cref="MessageId"/> (<c>data.payload.id</c>) is the message it is about.</summary>
public sealed record TelnyxEvent(
    string EventId,
    string EventType,
    DateTime? OccurredAtUtc,
    string? MessageId,
    InboundSms? Inbound,
    DeliveryReport? Delivery,
    string? AutoresponseType);

public sealed record TelnyxWebhookParse
{
    private TelnyxWebhookParse(TelnyxEvent? @event, string? error)
    {
        Event = @event;
        Error = error;
    }

    public TelnyxEvent? Event { get; }

    /// <summary>Why the body was refused, fit for a 400 problem detail.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Event is not null;

    public static TelnyxWebhookParse Ok(TelnyxEvent @event) => new(@event, null);

    public static TelnyxWebhookParse Fail(string error) => new(null, error);
}

/// <summary>Reads Telnyx's webhook envelope. Never throws: anything unexpected comes back as an error.</summary>
public static class TelnyxWebhook
{
    public const string MessageReceived = "message.received";
    public const string MessageSent = "message.sent";
    public const string MessageFinalized = "message.finalized";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static TelnyxWebhookParse Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return TelnyxWebhookParse.Fail("The body is empty.");
        }

        if (!Utf8.IsValid(body))
        {
            return TelnyxWebhookParse.Fail("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            // JsonDocument needs memory it can hold on to; copy the span once.
            document = JsonDocument.Parse(body.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            return TelnyxWebhookParse.Fail($"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return ParseEnvelope(document.RootElement);
            }
            catch (InvalidWebhook ex)
            {
                return TelnyxWebhookParse.Fail(ex.Message);
            }
            catch (InvalidOperationException)
            {
                // JsonElement.GetString on an escaped lone surrogate ("\ud800").
                return TelnyxWebhookParse.Fail("The body contains a string that is not valid Unicode.");
            }
        }
    }

    private static TelnyxWebhookParse ParseEnvelope(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidWebhook($"The body must be a JSON object, not {Describe(root.ValueKind)}.");
        }

        var data = RequiredObject(root, "data", "");
        var eventId = RequiredString(data, "id", "data");
        var eventType = RequiredString(data, "event_type", "data");
        var occurredAt = OptionalDate(data, "occurred_at", "data");

        var payload = OptionalObject(data, "payload", "data");
        return eventType switch
        {
            MessageReceived => TelnyxWebhookParse.Ok(ParseReceived(eventId, eventType, occurredAt, Require(payload, "data.payload"))),
            MessageSent or MessageFinalized => TelnyxWebhookParse.Ok(ParseDelivery(eventId, eventType, occurredAt, Require(payload, "data.payload"))),
            _ => TelnyxWebhookParse.Ok(new TelnyxEvent(
                eventId,
                eventType,
                occurredAt,
                payload is { } p ? OptionalString(p, "id", "data.payload") : null,
                Inbound: null,
                Delivery: null,
                payload is { } q ? OptionalString(q, "autoresponse_type", "data.payload") : null)),
        };
    }

    private static TelnyxEvent ParseReceived(string eventId, string eventType, DateTime? occurredAt, JsonElement payload)
    {
        const string at = "data.payload";
        var messageId = RequiredString(payload, "id", at);
        var from = RequiredString(RequiredObject(payload, "from", at), "phone_number", $"{at}.from");
        var to = RequiredString(FirstRecipient(payload), "phone_number", $"{at}.to[0]");

        // Media-only MMS may carry a null text; a missing one is still a broken payload.
        if (!payload.TryGetProperty("text", out var textElement))
        {
            throw new InvalidWebhook($"{at}.text is required.");
        }

        var text = textElement.ValueKind switch
        {
            JsonValueKind.String => textElement.GetString()!,
            JsonValueKind.Null => "",
            _ => throw WrongType($"{at}.text", "a string", textElement),
        };

        var receivedAt = OptionalDate(payload, "received_at", at) ?? occurredAt
            ?? throw new InvalidWebhook($"{at}.received_at (or data.occurred_at) is required.");
        var parts = OptionalInt(payload, "parts", at);
        var autoresponse = OptionalString(payload, "autoresponse_type", at);

        var inbound = new InboundSms(messageId, from, to, text, receivedAt, parts);
        return new TelnyxEvent(eventId, eventType, occurredAt, messageId, inbound, Delivery: null, autoresponse);
    }

    private static TelnyxEvent ParseDelivery(string eventId, string eventType, DateTime? occurredAt, JsonElement payload)
    {
        const string at = "data.payload";
        var messageId = RequiredString(payload, "id", at);
        var statusText = RequiredString(FirstRecipient(payload), "status", $"{at}.to[0]");
        var status = MapStatus(statusText)
            ?? throw new InvalidWebhook($"{at}.to[0].status '{Truncate(statusText)}' is not a known Telnyx message status.");

        var when = occurredAt
            ?? OptionalDate(payload, "completed_at", at)
            ?? OptionalDate(payload, "sent_at", at)
            ?? throw new InvalidWebhook("data.occurred_at is required for a delivery event.");

        var (errorCode, errorDetail) = FirstError(payload, at);
        var parts = OptionalInt(payload, "parts", at);

        var delivery = new DeliveryReport(messageId, status, when, errorCode, errorDetail, parts);
        return new TelnyxEvent(eventId, eventType, occurredAt, messageId, Inbound: null, delivery, OptionalString(payload, "autoresponse_type", at));
    }

    /// <summary>Telnyx's <c>to[].status</c> in our forward-only lifecycle.</summary>
    public static MessageStatus? MapStatus(string status) => status switch
    {
        // "sending" is Telnyx's, after it accepted the message; our Sending means "before the API call".
        "queued" or "scheduled" or "sending" => MessageStatus.Queued,
        "sent" => MessageStatus.Sent,
        "delivered" => MessageStatus.Delivered,
        "delivery_unconfirmed" => MessageStatus.DeliveryUnconfirmed,
        "delivery_failed" or "sending_failed" or "expired" or "cancelled" => MessageStatus.Failed,
        _ => null,
    };

    private static (string? Code, string? Detail) FirstError(JsonElement payload, string at)
    {
        if (!payload.TryGetProperty("errors", out var errors) || errors.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (errors.ValueKind != JsonValueKind.Array)
        {
            throw WrongType($"{at}.errors", "an array", errors);
        }

        if (errors.GetArrayLength() == 0)
        {
            return (null, null);
        }

        var first = errors[0];
        if (first.ValueKind != JsonValueKind.Object)
        {
            throw WrongType($"{at}.errors[0]", "an object", first);
        }

        string? code = null;
        if (first.TryGetProperty("code", out var codeElement))
        {
            // Telnyx sends codes as strings; a bare number is tolerated rather than losing the failure.
            code = codeElement.ValueKind switch
            {
                JsonValueKind.String => codeElement.GetString(),
                JsonValueKind.Number when codeElement.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                JsonValueKind.Null => null,
                _ => throw WrongType($"{at}.errors[0].code", "a string", codeElement),
            };
        }

        var detail = OptionalString(first, "detail", $"{at}.errors[0]");
        var title = OptionalString(first, "title", $"{at}.errors[0]");
        return (code, string.IsNullOrEmpty(detail) ? title : detail);
    }

    private static JsonElement FirstRecipient(JsonElement payload)
    {
        const string at = "data.payload.to";
        if (!payload.TryGetProperty("to", out var to) || to.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidWebhook($"{at} is required.");
        }

        // Telnyx sends an array; tolerate a lone object the way its older payloads did.
        var first = to.ValueKind switch
        {
            JsonValueKind.Array when to.GetArrayLength() > 0 => to[0],
            JsonValueKind.Array => throw new InvalidWebhook($"{at} must not be empty."),
            JsonValueKind.Object => to,
            _ => throw WrongType(at, "an array", to),
        };

        return first.ValueKind == JsonValueKind.Object ? first : throw WrongType($"{at}[0]", "an object", first);
    }

    private static JsonElement Require(JsonElement? element, string path) =>
        element ?? throw new InvalidWebhook($"{path} is required.");

    private static JsonElement RequiredObject(JsonElement parent, string name, string at)
    {
        var path = Join(at, name);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidWebhook($"{path} is required.");
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(path, "an object", value);
    }

    private static JsonElement? OptionalObject(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(Join(at, name), "an object", value);
    }

    private static string RequiredString(JsonElement parent, string name, string at)
    {
        var value = OptionalString(parent, name, at);
        return string.IsNullOrEmpty(value) ? throw new InvalidWebhook($"{Join(at, name)} is required.") : value;
    }

    private static string? OptionalString(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(Join(at, name), "a string", value);
    }

    private static int? OptionalInt(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0
            ? n
            : throw WrongType(Join(at, name), "a non-negative whole number", value);
    }

    private static DateTime? OptionalDate(JsonElement parent, string name, string at)
    {
        var text = OptionalString(parent, name, at);
        if (text is null)
        {
            return null;
        }

        // Telnyx writes ISO 8601 with an offset ("2024-05-01T12:00:00.123+00:00"); no offset means UTC.
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : throw new InvalidWebhook($"{Join(at, name)} '{Truncate(text)}' is not an ISO 8601 date-time.");
    }

    private static InvalidWebhook WrongType(string path, string expected, JsonElement actual) =>
        new($"{path} must be {expected}, not {Describe(actual.ValueKind)}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>Unwinds the parse on the first problem; caught in <see cref="Parse"/>, never escapes.</summary>
    private sealed class InvalidWebhook(string message) : Exception(message);
}
