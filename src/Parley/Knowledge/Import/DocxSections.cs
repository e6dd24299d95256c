using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Parley.Knowledge.Import;

/// <summary>
/// Reads a Word document's body with the Open XML SDK: paragraphs in a heading style (Heading 1…9, or a
/// paragraph with an outline level) start sections, the Title style names the document, table rows are
/// lines of cells.
/// </summary>
internal static class DocxSections
{
    public static (string? Title, IReadOnlyList<DocumentSection> Sections) Read(byte[] bytes, string fileName)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = WordprocessingDocument.Open(stream, isEditable: false);
            var main = document.MainDocumentPart ?? throw new KnowledgeImportException($"\"{fileName}\" is not a Word document (.docx); it has no document body.");
            var styles = StyleNames(main);
            var builder = new SectionBuilder();
            string? titleStyled = null;
            foreach (var block in Blocks(main.Document?.Body))
            {
                if (block is Table table)
                {
                    foreach (var row in table.Elements<TableRow>())
                    {
                        builder.Paragraph(string.Join(" | ", row.Elements<TableCell>().Select(c => Whitespace.Collapse(TextOf(c))).Where(c => c.Length > 0)));
                    }

                    continue;
                }

                var paragraph = (Paragraph)block;
                var text = TextOf(paragraph);
                switch (Kind(paragraph, styles))
                {
                    case ParagraphKind.Title:
                        titleStyled ??= Whitespace.Collapse(text);
                        break;
                    case ParagraphKind.Heading:
                        builder.Heading(text);
                        break;
                    default:
                        builder.Paragraph(text);
                        break;
                }
            }

            var title = document.PackageProperties.Title is { Length: > 0 } t ? Whitespace.Collapse(t) : titleStyled is { Length: > 0 } ? titleStyled : builder.FirstHeading;
            return (title, builder.Sections);
        }
        // A parser handed hostile bytes can fail in any way; every failure means the same to the uploader.
        catch (Exception ex) when (ex is not (KnowledgeImportException or OutOfMemoryException))
        {
            throw new KnowledgeImportException($"\"{fileName}\" is not a Word document (.docx) we can read; it may be damaged or another format.", KnowledgeImportFailure.Invalid, ex);
        }
    }

    private enum ParagraphKind
    {
        Body,
        Heading,
        Title,
    }

    /// <summary>Body paragraphs and tables in order, looking inside content controls.</summary>
    private static IEnumerable<OpenXmlElement> Blocks(OpenXmlElement? parent)
    {
        if (parent is null)
        {
            yield break;
        }

        foreach (var child in parent.ChildElements)
        {
            if (child is Paragraph or Table)
            {
                yield return child;
            }
            else if (child is SdtBlock sdt)
            {
                foreach (var inner in Blocks(sdt.SdtContentBlock))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string TextOf(OpenXmlElement element) =>
        string.Concat(element.Descendants().Select(e => e switch
        {
            Text t => t.Text,
            TabChar => " ",
            Break or CarriageReturn => " ",
            Paragraph => " ",
            _ => "",
        }));

    private static ParagraphKind Kind(Paragraph paragraph, Dictionary<string, (string Name, bool Outline)> styles)
    {
        if (paragraph.ParagraphProperties?.OutlineLevel?.Val?.Value is < 9)
        {
            return ParagraphKind.Heading;
        }

        var id = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
        if (id is null)
        {
            return ParagraphKind.Body;
        }

        var (name, outline) = styles.TryGetValue(id, out var style) ? style : (id, false);
        return name.Equals("Title", StringComparison.OrdinalIgnoreCase) || id.Equals("Title", StringComparison.OrdinalIgnoreCase) ? ParagraphKind.Title
            : outline || IsHeadingName(name) || IsHeadingName(id) ? ParagraphKind.Heading
            : ParagraphKind.Body;
    }

    private static bool IsHeadingName(string name) =>
        name.StartsWith("heading", StringComparison.OrdinalIgnoreCase) && name[7..].Trim() is { Length: 1 } level && char.IsAsciiDigit(level[0]);

    private static Dictionary<string, (string Name, bool Outline)> StyleNames(MainDocumentPart main)
    {
        var styles = main.StyleDefinitionsPart?.Styles?.Elements<Style>() ?? [];
        return styles.Where(s => s.StyleId?.Value is not null)
            .GroupBy(s => s.StyleId!.Value!)
            .ToDictionary(g => g.Key, g => (g.First().StyleName?.Val?.Value ?? g.Key, g.First().StyleParagraphProperties?.OutlineLevel?.Val?.Value is < 9));
    }
}
