using System.Text.RegularExpressions;

namespace Parley.Knowledge.Import;

/// <summary>
/// Reads plain text: blank lines separate paragraphs. A heading is a short line standing alone above a paragraph
/// with no full stop or comma ("Closing costs", "How fast can you close?"), a short line ending in a colon atop
/// its paragraph ("REPAIRS:"), or a line underlined with === or ---.
/// </summary>
internal static partial class PlainTextSections
{
    public static IReadOnlyList<DocumentSection> Read(string text)
    {
        var blocks = BlankLines().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
            .Select(b => b.Trim('\n', ' ', '\t', '\f'))
            .Where(b => b.Length > 0)
            .ToList();
        var builder = new SectionBuilder();
        for (var i = 0; i < blocks.Count; i++)
        {
            var lines = blocks[i].Split('\n');
            if (lines.Length >= 2 && Underline().IsMatch(lines[1]))
            {
                builder.Heading(lines[0]);
                builder.Paragraph(string.Join('\n', lines[2..]));
                continue;
            }

            if (lines.Length >= 2 && lines[0].TrimEnd().EndsWith(':') && IsHeadingLine(lines[0]))
            {
                builder.Heading(lines[0].Trim().TrimEnd(':'));
                builder.Paragraph(string.Join('\n', lines[1..]));
                continue;
            }

            if (lines.Length == 1 && i + 1 < blocks.Count && IsHeadingLine(lines[0]))
            {
                builder.Heading(lines[0].Trim().TrimEnd(':'));
                continue;
            }

            builder.Paragraph(blocks[i]);
        }

        return builder.Sections;
    }

    private static bool IsHeadingLine(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length is > 0 and <= 80 && !trimmed.EndsWith('.') && !trimmed.EndsWith('!') && !trimmed.EndsWith(',')
            && !trimmed.EndsWith(';') && trimmed.Split(' ').Length <= 10;
    }

    [GeneratedRegex(@"\n[ \t\f]*\n+")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"^\s*(=+|-+)\s*$")]
    private static partial Regex Underline();
}
