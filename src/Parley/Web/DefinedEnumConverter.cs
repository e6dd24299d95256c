using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Web;

/// <summary>Enums in JSON as their names, and only values the enum defines: <c>"plan": 99</c> or <c>"plan": "99"</c>
/// is refused (a 400), never stored as a plan that does not exist.</summary>
public sealed class DefinedEnumConverterFactory : JsonConverterFactory
{
    private readonly JsonStringEnumConverter names = new();

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(DefinedEnumConverter<>).MakeGenericType(typeToConvert), names.CreateConverter(typeToConvert, options))!;

    private sealed class DefinedEnumConverter<T>(JsonConverter inner) : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly bool Flags = typeof(T).IsDefined(typeof(FlagsAttribute), inherit: false);

        private readonly JsonConverter<T> names = (JsonConverter<T>)inner;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = names.Read(ref reader, typeToConvert, options);
            return Flags || Enum.IsDefined(value)
                ? value
                : throw new JsonException($"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => names.Write(writer, value, options);
    }
}
