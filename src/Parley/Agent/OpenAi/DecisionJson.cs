using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Parley.Agent.OpenAi;

/// <summary>The decision's JSON schema, and a strict reader for the model's answer.</summary>
internal static partial class DecisionJson
{
    public const string SchemaName = "agent_decision";

    private static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The decision's JSON schema, generated from <see cref="DecisionWire"/>: every property required,
    /// nullable ones typed <c>["string","null"]</c>, no additional properties (what strict structured output asks).</summary>
    public static readonly JsonElement Schema = AIJsonUtilities.CreateJsonSchema(
        typeof(DecisionWire),
        serializerOptions: WireJson,
        inferenceOptions: new AIJsonSchemaCreateOptions
        {
            TransformOptions = new AIJsonSchemaTransformOptions
            {
                DisallowAdditionalProperties = true,
                RequireAllProperties = true,
                UseNullableKeyword = false,
                ConvertBooleanSchemas = true,
            },
        });

    private const int MaxNameLength = 40;

    private static readonly Dictionary<string, AgentOutcome> Outcomes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Ongoing"] = AgentOutcome.Ongoing,
        ["AppointmentScheduled"] = AgentOutcome.AppointmentScheduled,
        ["NotInterested"] = AgentOutcome.NotInterested,
        ["NeedsHuman"] = AgentOutcome.NeedsHuman,
        ["WrongPerson"] = AgentOutcome.WrongPerson,
    };

    private static readonly string[] PropertyNames = [.. Schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    // Added after the first four: a model that ignores the schema may leave them out, which reads as "none".
    private static readonly string[] OptionalProperties = ["sources", "unansweredQuestion"];

    private const int MaxQuestionLength = 300;

    private const int MaxNameWords = 3;

    // Words that show the model copied a phrase ("I'm interested", "looking for") rather than a name.
    private static readonly string[] NotNameWords =
    [
        "null", "none", "unknown", "contact", "customer", "client", "i", "i'm", "im", "me", "my", "name", "is", "this",
        "the", "a", "for", "looking", "interested", "not", "yes", "no", "ok", "okay", "hi", "hello", "hey", "thanks", "sure",
    ];

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
    ];

    private static readonly string[] OffsetFormats = [.. LocalFormats.Select(format => format + "K")];

    private static readonly JsonDocumentOptions StrictJson = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    /// <summary>Reads the model's answer; on failure says why (without echoing the answer).</summary>
    public static bool TryRead(
        string? content,
        AgentContext context,
        [NotNullWhen(true)] out AgentDecision? decision,
        [NotNullWhen(false)] out string? problem)
    {
        decision = null;
        var json = Unwrap(content);
        if (json is null)
        {
            problem = "the answer is not a JSON object";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, StrictJson);
        }
        catch (JsonException)
        {
            problem = "the answer is not valid JSON";
            return false;
        }

        using (document)
        {
            return TryRead(document.RootElement, context, out decision, out problem);
        }
    }

    private static bool TryRead(
        JsonElement root,
        AgentContext context,
        [NotNullWhen(true)] out AgentDecision? decision,
        [NotNullWhen(false)] out string? problem)
    {
        decision = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "the answer is not a JSON object";
            return false;
        }

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!PropertyNames.Contains(property.Name, StringComparer.Ordinal))
            {
                problem = $"unexpected property '{Truncate(property.Name)}'";
                return false;
            }

            if (!values.TryAdd(property.Name, property.Value))
            {
                problem = $"property '{property.Name}' appears twice";
                return false;
            }
        }

        if (PropertyNames.FirstOrDefault(name => !values.ContainsKey(name) && !OptionalProperties.Contains(name, StringComparer.Ordinal)) is { } missing)
        {
            problem = $"property '{missing}' is missing";
            return false;
        }

        if (!TryReadNullableString(values["reply"], out var reply)
            || !TryReadNullableString(values["contactFirstName"], out var name)
            || !TryReadNullableString(values["callbackAt"], out var callbackText))
        {
            problem = "reply, contactFirstName and callbackAt must each be a string or null";
            return false;
        }

        if (values["outcome"].ValueKind != JsonValueKind.String
            || !Outcomes.TryGetValue(values["outcome"].GetString()!, out var outcome))
        {
            problem = "outcome is not one of Ongoing, AppointmentScheduled, NotInterested, NeedsHuman, WrongPerson";
            return false;
        }

        if (!TryReadSources(Optional(values, "sources"), context, out var sources, out problem))
        {
            return false;
        }

        if (!TryReadNullableString(Optional(values, "unansweredQuestion"), out var unanswered))
        {
            problem = "unansweredQuestion must be a string or null";
            return false;
        }

        DateTime? callbackAt = null;
        if (outcome == AgentOutcome.AppointmentScheduled)
        {
            if (callbackText is null || !TryReadLocalDateTime(callbackText, context.TimeZoneId, out var local))
            {
                problem = "AppointmentScheduled needs callbackAt as a local ISO 8601 date-time";
                return false;
            }

            callbackAt = local;
        }

        // Not interested means silence, whatever the model wrote.
        if (outcome == AgentOutcome.NotInterested || string.IsNullOrWhiteSpace(reply))
        {
            reply = null;
        }

        unanswered = string.IsNullOrWhiteSpace(unanswered) ? null : unanswered.Trim();
        decision = new AgentDecision(reply?.Trim(), outcome, CleanName(name), callbackAt)
        {
            Sources = sources,
            UnansweredQuestion = unanswered is { Length: > MaxQuestionLength } ? unanswered[..MaxQuestionLength] : unanswered,
        };
        problem = null;
        return true;
    }

    private static JsonElement? Optional(Dictionary<string, JsonElement> values, string name) =>
        values.TryGetValue(name, out var value) ? value : null;

    /// <summary>The passage ids the reply cites: each must be one the prompt offered, or the whole answer is
    /// refused like invalid JSON (a made-up id means the model made up where its facts came from).</summary>
    private static bool TryReadSources(
        JsonElement? element,
        AgentContext context,
        out IReadOnlyList<Guid> sources,
        [NotNullWhen(false)] out string? problem)
    {
        sources = [];
        problem = null;
        if (element is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problem = "sources must be an array of passage ids";
            return false;
        }

        var offered = context.Knowledge.Select(p => p.Id).ToHashSet();
        var cited = new List<Guid>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !Guid.TryParse(item.GetString(), out var id))
            {
                problem = "sources must be an array of passage ids";
                return false;
            }

            if (!offered.Contains(id))
            {
                problem = "sources cites a passage that was not offered";
                return false;
            }

            if (!cited.Contains(id))
            {
                cited.Add(id);
            }
        }

        sources = cited;
        return true;
    }

    /// <summary>The JSON object text, tolerating ```json fences and a leading &lt;think&gt; block; null when there is none.</summary>
    private static string? Unwrap(string? content)
    {
        var text = content?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.StartsWith("<think>", StringComparison.Ordinal))
        {
            var end = text.IndexOf("</think>", StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            text = text[(end + "</think>".Length)..].Trim();
        }

        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
            if (firstLineEnd < 0 || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < firstLineEnd + 4)
            {
                return null;
            }

            var language = text[3..firstLineEnd].Trim();
            if (language.Length > 0 && !language.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            text = text[(firstLineEnd + 1)..^3].Trim();
        }

        return text.StartsWith('{') && text.EndsWith('}') ? text : null;
    }

    private static bool TryReadNullableString(JsonElement? element, out string? value)
    {
        value = element?.ValueKind == JsonValueKind.String ? element.Value.GetString() : null;
        return element is null || element.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    internal static bool TryReadLocalDateTime(string text, string timeZoneId, out DateTime local)
    {
        text = text.Trim();
        if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var unzoned))
        {
            local = DateTime.SpecifyKind(unzoned, DateTimeKind.Unspecified);
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var zoned)
            && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone))
        {
            local = DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(zoned, zone).DateTime, DateTimeKind.Unspecified);
            return true;
        }

        local = default;
        return false;
    }

    internal static string? CleanName(string? name)
    {
        var trimmed = name?.Replace('\u2019', '\'').Trim();
        if (string.IsNullOrEmpty(trimmed)
            || trimmed.Length > MaxNameLength
            || !NameShape().IsMatch(trimmed)
            || trimmed.Split(' ').Length > MaxNameWords
            || trimmed.Split(' ', '-').Any(word => NotNameWords.Contains(word, StringComparer.OrdinalIgnoreCase)))
        {
            return null;
        }

        return trimmed;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    // Letters (with combining marks), words joined by one space, hyphen or apostrophe: "Ana", "Mary-Jo", "O'Neil".
    [GeneratedRegex(@"^[\p{L}\p{M}]+(?:[ '\-][\p{L}\p{M}]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NameShape();
}

/// <summary>The decision object on the wire (DESIGN.md). A new field is one more parameter here, and one more
/// reading rule in <see cref="DecisionJson"/>.</summary>
internal sealed record DecisionWire(
    [property: Description("The SMS text to send, or null to send nothing.")] string? Reply,
    DecisionWireOutcome Outcome,
    [property: Description("The person's first name if they told or confirmed it, else null.")] string? ContactFirstName,
    [property: Description("With AppointmentScheduled: the agreed local date-time, ISO 8601 without offset, e.g. 2026-11-24T15:00:00. Else null.")] string? CallbackAt,
    [property: Description("The ids of the knowledge passages the reply states facts from; empty when it uses none.")] IReadOnlyList<string> Sources,
    [property: Description("The texter's question about the business that no passage answers, in their words; else null.")] string? UnansweredQuestion);

/// <summary>The outcomes a model may choose; the order is the schema's.</summary>
internal enum DecisionWireOutcome
{
    Ongoing,
    AppointmentScheduled,
    NotInterested,
    NeedsHuman,
    WrongPerson,
}
