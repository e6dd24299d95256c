using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Parley.Web;

/// <summary>
/// The one check every text input passes before any handler sees it: JSON bodies on <c>/api</c>, the dashboard's
/// form posts and every query string. A string carrying NUL or another control character (other than tab and line
/// breaks), or half of a surrogate pair, gets a 400 problem naming the field; nothing is stored. PostgreSQL cannot
/// hold NUL in text, and no person types the others. Carrier webhooks are not checked here: a text a person sent is
/// stored (cleaned), never refused.
/// </summary>
public static class TextInputValidation
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static IApplicationBuilder UseTextInputValidation(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (await FindProblemAsync(context.Request, context.RequestAborted) is { } problem)
        {
            await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Reason] },
                title: "Text with control characters", detail: $"{problem.Field}: {problem.Reason}").ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    /// <summary>Why <paramref name="value"/> cannot be stored as text, or null when it can.</summary>
    public static string? Problem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\t' or '\n' or '\r')
            {
                continue;
            }

            if (char.IsControl(c) && c < '\u0080')
            {
                return $"Contains a control character (U+{(int)c:X4}); remove it and try again.";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "Contains half of a surrogate pair, which is not text.";
            }
        }

        return null;
    }

    private sealed record Found(string Field, string Reason);

    private static async Task<Found?> FindProblemAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        foreach (var (key, values) in request.Query)
        {
            if ((Check(key, key) ?? values.Select(v => Check(key, v)).FirstOrDefault(p => p is not null)) is { } found)
            {
                return found;
            }
        }

        if (request.Path.StartsWithSegments("/webhooks") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return null;
        }

        if (request.HasJsonContentType())
        {
            request.EnableBuffering();
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            request.Body.Position = 0;
            return FindInJson(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }

        // Dashboard forms, read here from the raw bytes: ASP.NET Core's own form reader throws on %00, which would be
        // a 500 naming nothing. Multipart uploads are left to the endpoint that streams them.
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var form = await reader.ReadToEndAsync(cancellationToken);
            request.Body.Position = 0;
            foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Decode(at < 0 ? pair : pair[..at]);
                if ((Check(key, key) ?? Check(key, at < 0 ? null : Decode(pair[(at + 1)..]))) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    private static string Decode(string encoded) => Uri.UnescapeDataString(encoded.Replace('+', ' '));

    private static Found? Check(string field, string? value) =>
        value is not null && Problem(value) is { } reason ? new Found(Printable(field), reason) : null;

    private static string Printable(string field) =>
        Problem(field) is null ? field : new string(field.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());

    /// <summary>The first string (value or property name) that cannot be stored, with its JSON path
    /// (<c>phones[1]</c>, <c>history[0].text</c>). Malformed JSON is left to the binder, which refuses it.</summary>
    private static Found? FindInJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var containers = new Stack<(bool IsArray, string Path, int Index)>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    property = reader.GetString()!;
                    if (Check(Join(containers, property), property) is { } badName)
                    {
                        return badName;
                    }

                    continue;
                }

                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    containers.Pop();
                    continue;
                }

                var path = ValuePath(containers, property);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    containers.Push((reader.TokenType == JsonTokenType.StartArray, path, 0));
                }
                else if (reader.TokenType == JsonTokenType.String && Check(path, reader.GetString()) is { } badValue)
                {
                    return badValue;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString on an escaped lone surrogate ("\ud800").
            return new Found(ValuePath(containers, property), "Contains half of a surrogate pair, which is not text.");
        }

        return null;
    }

    /// <summary>The path of the value being read; inside an array it also moves the array on to its next index.</summary>
    private static string ValuePath(Stack<(bool IsArray, string Path, int Index)> containers, string? property)
    {
        if (containers.Count == 0)
        {
            return "body";
        }

        var (isArray, path, index) = containers.Pop();
        containers.Push((isArray, path, index + 1));
        return isArray ? $"{path}[{index}]" : Join(path, property ?? "");
    }

    private static string Join(Stack<(bool IsArray, string Path, int Index)> containers, string property) =>
        containers.Count == 0 ? property : Join(containers.Peek().Path, property);

    private static string Join(string path, string property) => path is "" or "body" ? property : $"{path}.{property}";
}
