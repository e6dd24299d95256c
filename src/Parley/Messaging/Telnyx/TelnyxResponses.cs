using System.Text.Json;

namespace Parley.Messaging.Telnyx;

/// <summary>The first entry of Telnyx's error envelope, <c>{"errors":[{"code","title","detail"}]}</c>.</summary>
public sealed record TelnyxError(string? Code, string? Title, string? Detail)
{
    /// <summary>Title and detail as one sentence, without repeating the title when the detail starts with it.</summary>
    public string? Message => (Title, Detail) switch
    {
        (null, null) => null,
        (null, _) => Detail,
        (_, null) => Title,
        _ when Detail!.StartsWith(Title!, StringComparison.OrdinalIgnoreCase) => Detail,
        _ => $"{Title}: {Detail}",
    };

    /// <summary>The envelope's first error, or null when the body is not one (HTML from a proxy, empty, other JSON).</summary>
    public static TelnyxError? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errors", out var errors)
                ? First(errors)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first error of an <c>errors</c> array (API answers and webhook payloads share the shape).</summary>
    public static TelnyxError? First(JsonElement errors)
    {
        if (errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0 || errors[0].ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var first = errors[0];
        var code = first.TryGetProperty("code", out var c) ? c.ValueKind switch
        {
            JsonValueKind.String => c.GetString(),
            // Telnyx sends codes as strings; a bare number is tolerated rather than losing the failure.
            JsonValueKind.Number => c.GetRawText(),
            _ => null,
        } : null;
        var error = new TelnyxError(string.IsNullOrEmpty(code) ? null : code, StringOrNull(first, "title"), StringOrNull(first, "detail"));
        return error is { Code: null, Title: null, Detail: null } ? null : error;
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}

/// <summary>Reading Telnyx's success answer to <c>POST /v2/messages</c>.</summary>
internal static class TelnyxResponses
{
    public static bool TryReadAccepted(byte[] content, out string messageId, out int? parts)
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
}
