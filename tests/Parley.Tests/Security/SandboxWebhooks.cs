using System.Globalization;
using System.Text.Json.Nodes;

namespace Parley.Tests.Security;

/// <summary>Telnyx-shaped webhook bodies for the Sandbox tests, in the envelope Telnyx posts.</summary>
public static class SandboxWebhooks
{
    public static string Received(string from, string to, string text, string? eventId = null, string? messageId = null) => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["event_type"] = "message.received",
            ["id"] = eventId ?? $"evt-{Guid.NewGuid()}",
            ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["record_type"] = "event",
            ["payload"] = new JsonObject
            {
                ["id"] = messageId ?? $"msg-{Guid.NewGuid()}",
                ["direction"] = "inbound",
                ["from"] = new JsonObject { ["phone_number"] = from, ["carrier"] = "Rogers", ["line_type"] = "Wireless" },
                ["to"] = new JsonArray(new JsonObject { ["phone_number"] = to, ["status"] = "webhook_delivered" }),
                ["text"] = text,
                ["parts"] = 1,
                ["received_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["type"] = "SMS",
            },
        },
        ["meta"] = new JsonObject { ["attempt"] = 1, ["delivered_to"] = "https://parley.example.com/webhooks/telnyx" },
    }.ToJsonString();

    public static string OfType(string eventType, string padding = "") => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["event_type"] = eventType,
            ["id"] = $"evt-{Guid.NewGuid()}",
            ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["payload"] = new JsonObject { ["id"] = $"call-{Guid.NewGuid()}", ["note"] = padding },
        },
    }.ToJsonString();
}
