using System.Text;

namespace Parley.Knowledge.Import;

/// <summary>A heading (null before the first one) and the paragraphs under it, as a format reader finds them.</summary>
internal sealed record DocumentSection(string? Heading, IReadOnlyList<string> Paragraphs);

/// <summary>Collects sections while a reader walks a document: a heading starts a section, text joins the current one.</summary>
internal sealed class SectionBuilder
{
    private readonly List<DocumentSection> sections = [];
    private readonly List<string> paragraphs = [];
    private readonly StringBuilder paragraph = new();
    private string? heading;

    public IReadOnlyList<DocumentSection> Sections
    {
        get
        {
            EndSection();
            return sections;
        }
    }

    /// <summary>The first heading seen, a fallback title for documents that name none.</summary>
    public string? FirstHeading { get; private set; }

    public void Heading(string text)
    {
        var clean = Whitespace.Collapse(text);
        if (clean.Length == 0)
        {
            return;
        }

        EndSection();
        heading = clean;
        FirstHeading ??= clean;
    }

    /// <summary>Adds text to the paragraph being built (inline runs of one block).</summary>
    public void Append(string text) => paragraph.Append(text);

    public void EndParagraph()
    {
        var clean = Whitespace.Collapse(paragraph.ToString());
        paragraph.Clear();
        if (clean.Length > 0)
        {
            paragraphs.Add(clean);
        }
    }

    public void Paragraph(string text)
    {
        EndParagraph();
        Append(text);
        EndParagraph();
    }

    private void EndSection()
    {
        EndParagraph();
        if (paragraphs.Count > 0)
        {
            sections.Add(new DocumentSection(heading, [.. paragraphs]));
        }

        paragraphs.Clear();
    }
}

internal static class Whitespace
{
    /// <summary>Runs of whitespace (including non-breaking and zero-width spaces) become one space; control characters go.</summary>
    public static string Collapse(string text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF')
            {
                space = result.Length > 0;
                continue;
            }

            if (char.IsControl(c))
            {
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
