using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Parley.Knowledge.Import;

/// <summary>
/// Reads a table (a property list, a price list, FAQ rows) as one section per row: the row is titled by its
/// name-like column (name, title, address, question…) or else its first column, and reads "Column: value" for
/// the rest, so a texter's "the one on Elm St" finds the row and the passage says what each figure is.
/// </summary>
internal static class CsvEntries
{
    private static readonly string[] TitleColumns =
        ["title", "name", "question", "address", "street address", "property", "property address", "listing", "product", "service", "subject", "topic", "street"];

    public static IReadOnlyList<DocumentSection> Read(string text, string fileName)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t", "|"],
            BadDataFound = null,
            MissingFieldFound = null,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
        };

        try
        {
            using var reader = new StringReader(text);
            using var csv = new CsvReader(reader, configuration);
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header || header.All(string.IsNullOrWhiteSpace))
            {
                throw new KnowledgeImportException($"\"{fileName}\" has no header row; the first line must name the columns.");
            }

            var names = header.Select((h, i) => string.IsNullOrWhiteSpace(h) ? $"Column {i + 1}" : Whitespace.Collapse(h)).ToArray();
            var titleColumn = TitleColumn(names);
            var sections = new List<DocumentSection>();
            var row = 1;
            while (csv.Read())
            {
                row++;
                var values = csv.Parser.Record ?? [];
                if (values.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                var title = Value(values, titleColumn) is { Length: > 0 } t ? t : $"Row {row}";
                var lines = names.Select((name, i) => (name, value: Value(values, i), i))
                    .Where(c => c.i != titleColumn && c.value.Length > 0)
                    .Select(c => $"{c.name}: {c.value}")
                    .ToList();
                if (lines.Count == 0)
                {
                    lines.Add($"{names[titleColumn]}: {title}");
                }

                sections.Add(new DocumentSection(title, lines));
            }

            return sections;
        }
        catch (CsvHelperException ex)
        {
            throw new KnowledgeImportException($"\"{fileName}\" could not be read as CSV near row {ex.Context?.Parser?.Row}: {ex.Message.Split('\n')[0]}", KnowledgeImportFailure.Invalid, ex);
        }
    }

    private static int TitleColumn(string[] names)
    {
        foreach (var wanted in TitleColumns)
        {
            var index = Array.FindIndex(names, n => n.Equals(wanted, StringComparison.OrdinalIgnoreCase)
                || n.Replace('_', ' ').Equals(wanted, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index;
            }
        }

        var partial = Array.FindIndex(names, n => n.Contains("name", StringComparison.OrdinalIgnoreCase) || n.Contains("address", StringComparison.OrdinalIgnoreCase) || n.Contains("title", StringComparison.OrdinalIgnoreCase));
        return partial >= 0 ? partial : 0;
    }

    private static string Value(string[] values, int index) => index < values.Length ? Whitespace.Collapse(values[index]) : "";
}
