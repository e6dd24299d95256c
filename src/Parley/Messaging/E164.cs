using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Messaging;

/// <summary>
/// A phone number in E.164 form (<c>+14165551234</c>), valid for its country by libphonenumber's rules.
/// Only <see cref="PhoneNumberParser"/> and <see cref="Parse"/> make one, so holding one means it was checked.
/// </summary>
[JsonConverter(typeof(E164JsonConverter))]
public sealed record E164 : IParsable<E164>
{
    private E164(string value) => Value = value;

    /// <summary>"+", the country calling code and the national number, digits only.</summary>
    public string Value { get; }

    public override string ToString() => Value;

    /// <summary>Reads a number already in E.164 form; use <see cref="PhoneNumberParser"/> for what people type.</summary>
    /// <exception cref="FormatException">Not in E.164 form, or not a valid number.</exception>
    public static E164 Parse(string e164) =>
        TryParse(e164, out var number, out var error) ? number : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? e164, [NotNullWhen(true)] out E164? number) =>
        TryParse(e164, out number, out _);

    static E164 IParsable<E164>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<E164>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out E164 result) =>
        TryParse(s, out result);

    internal static E164 FromNormalized(string value) => new(value);

    internal static bool TryParse([NotNullWhen(true)] string? e164, [NotNullWhen(true)] out E164? number, out string error)
    {
        number = null;
        if (e164 is null || !IsE164Shaped(e164))
        {
            error = $"'{e164}' is not in E.164 form: + then the country code and number, digits only, like +14165551234.";
            return false;
        }

        if (!PhoneNumberParser.Default.TryNormalize(e164, defaultRegion: null, out var normalized, out error))
        {
            return false;
        }

        // "+4402071234567" parses (the trunk 0 is dropped) but is not the canonical form.
        if (normalized.Value != e164)
        {
            error = $"'{e164}' is not in E.164 form; it should be written {normalized.Value}.";
            return false;
        }

        number = normalized;
        return true;
    }

    private static bool IsE164Shaped(string text) =>
        text.Length is >= 3 and <= 16
        && text[0] == '+'
        && text[1] != '0'
        && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}

/// <summary>Writes an <see cref="E164"/> as its string; reads only strings already in E.164 form.</summary>
internal sealed class E164JsonConverter : JsonConverter<E164>
{
    public override E164 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? ReadString(reader.GetString())
            : throw new JsonException("A phone number must be a JSON string like \"+14165551234\".");

    // Written raw so the default encoder does not turn the + into \u002B; the value is only + and digits.
    public override void Write(Utf8JsonWriter writer, E164 value, JsonSerializerOptions options) =>
        writer.WriteRawValue($"\"{value.Value}\"");

    public override E164 ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ReadString(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, E164 value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Value);

    private static E164 ReadString(string? text) =>
        E164.TryParse(text, out var number, out var error) ? number : throw new JsonException(error);
}
