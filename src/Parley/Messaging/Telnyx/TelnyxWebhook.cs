using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using static Parley.Messaging.Telnyx.TelnyxJsonFields;

namespace Parley.Messaging.Telnyx;

/// <summary>Reads Telnyx's webhook envelope. Never throws: anything unexpected comes back as an error.</summary>
public static class TelnyxWebhook
{
    public const string MessageReceived = "message.received";
    public const string MessageSent = "message.sent";
    public const string MessageFinalized = "message.finalized";

    /// <summary>The event types Parley acts on; any other type is acknowledged and not stored.</summary>
    public static bool IsHandled(string eventType) => eventType is MessageReceived or MessageSent or MessageFinalized;

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

        // A carrier text is never refused for its content: the person sent it and it must not be lost. NUL is the one
        // character PostgreSQL text cannot hold, so it becomes U+FFFD and the event says how many were replaced.
        var nuls = text.AsSpan().Count('\0');
        if (nuls > 0)
        {
            text = text.Replace('\0', '\uFFFD');
        }

        var inbound = new InboundSms(messageId, from, to, text, receivedAt, parts);
        return new TelnyxEvent(eventId, eventType, occurredAt, messageId, inbound, Delivery: null, autoresponse) { ReplacedNulCharacters = nuls };
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
}
