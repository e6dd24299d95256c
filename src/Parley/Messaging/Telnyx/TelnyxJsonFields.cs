using System.Globalization;
using System.Text.Json;

namespace Parley.Messaging.Telnyx;

/// <summary>Typed reads of a webhook's JSON fields, each naming the field's path in the problem it raises.</summary>
internal static class TelnyxJsonFields
{
    internal static JsonElement Require(JsonElement? element, string path) =>
        element ?? throw new InvalidWebhook($"{path} is required.");

    internal static JsonElement RequiredObject(JsonElement parent, string name, string at)
    {
        var path = Join(at, name);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidWebhook($"{path} is required.");
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(path, "an object", value);
    }

    internal static JsonElement? OptionalObject(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(Join(at, name), "an object", value);
    }

    internal static string RequiredString(JsonElement parent, string name, string at)
    {
        var value = OptionalString(parent, name, at);
        return string.IsNullOrEmpty(value) ? throw new InvalidWebhook($"{Join(at, name)} is required.") : value;
    }

    internal static string? OptionalString(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(Join(at, name), "a string", value);
    }

    internal static int? OptionalInt(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0
            ? n
            : throw WrongType(Join(at, name), "a non-negative whole number", value);
    }

    internal static DateTime? OptionalDate(JsonElement parent, string name, string at)
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

    internal static InvalidWebhook WrongType(string path, string expected, JsonElement actual) =>
        new($"{path} must be {expected}, not {Describe(actual.ValueKind)}.");

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";

    internal static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

/// <summary>Unwinds the parse on the first problem; caught in <see cref="TelnyxWebhook.Parse"/>, never escapes.</summary>
internal sealed class InvalidWebhook(string message) : Exception(message);
