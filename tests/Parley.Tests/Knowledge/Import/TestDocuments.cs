using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Parley.Knowledge;
using Parley.Knowledge.Import;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Parley.Tests.Knowledge.Import;

/// <summary>Real files built in the test: PDFs written by PdfPig, Word documents by the Open XML SDK.</summary>
internal static class TestDocuments
{
    public static readonly KnowledgeLimits Limits = new();

    public static ImportedDocument Read(string fileName, byte[] bytes, string? contentType = null, KnowledgeLimits? limits = null) =>
        DocumentReader.Read(fileName, contentType, new MemoryStream(bytes), limits ?? Limits);

    public static ImportedDocument Read(string fileName, string text, string? contentType = null, KnowledgeLimits? limits = null) =>
        Read(fileName, Encoding.UTF8.GetBytes(text), contentType, limits);

    public static KnowledgeImportException Refused(string fileName, byte[] bytes, string? contentType = null, KnowledgeLimits? limits = null) =>
        Assert.Throws<KnowledgeImportException>(() => Read(fileName, bytes, contentType, limits));

    public static KnowledgeImportException Refused(string fileName, string text, string? contentType = null) =>
        Refused(fileName, Encoding.UTF8.GetBytes(text), contentType);

    /// <summary>A PDF page by page: a line starting "# " is set large as a heading, other lines in body size;
    /// an empty line is a paragraph gap. <paramref name="unicode"/> embeds DejaVu Sans for text outside WinAnsi.</summary>
    public static byte[] Pdf(string? title, bool unicode, params string[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        if (title is not null)
        {
            builder.DocumentInformation.Title = title;
        }

        var font = unicode
            ? builder.AddTrueTypeFont(File.ReadAllBytes("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
            : builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.Letter);
            var y = 740.0;
            foreach (var line in lines)
            {
                if (line.Length == 0)
                {
                    y -= 14;
                    continue;
                }

                var heading = line.StartsWith("# ", StringComparison.Ordinal);
                var size = heading ? 20 : 11;
                y -= heading ? 30 : 15;
                page.AddText(heading ? line[2..] : line, size, new PdfPoint(72, y), font);
                if (heading)
                {
                    y -= 8;
                }
            }
        }

        return builder.Build();
    }

    /// <summary>Words wrapped to lines of about 80 characters, as a PDF sets a paragraph.</summary>
    public static IEnumerable<string> Wrap(string paragraph)
    {
        var line = new StringBuilder();
        foreach (var word in paragraph.Split(' '))
        {
            if (line.Length + word.Length > 80)
            {
                yield return line.ToString().TrimEnd();
                line.Clear();
            }

            line.Append(word).Append(' ');
        }

        if (line.Length > 0)
        {
            yield return line.ToString().TrimEnd();
        }
    }

    /// <summary>One Word paragraph: a style id (or null for body text) and its runs of text.</summary>
    public sealed record WordParagraph(string? Style, params string[] Runs);

    /// <summary>A .docx with the given paragraphs and, when <paramref name="styles"/> is set, style definitions
    /// mapping style ids to names (Word writes localised ids such as "berschrift1" for "heading 1").</summary>
    public static byte[] Docx(string? title, IEnumerable<OpenXmlElement> blocks, IReadOnlyDictionary<string, string>? styles = null)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(blocks));
            if (styles is not null)
            {
                var part = main.AddNewPart<StyleDefinitionsPart>();
                part.Styles = new Styles(styles.Select(s => new Style(new StyleName { Val = s.Value }) { Type = StyleValues.Paragraph, StyleId = s.Key }));
            }

            if (title is not null)
            {
                document.PackageProperties.Title = title;
            }
        }

        return stream.ToArray();
    }

    public static Paragraph Para(string? style, params string[] runs)
    {
        var paragraph = new Paragraph();
        if (style is not null)
        {
            paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }

        paragraph.Append(runs.Select(r => new Run(new Text(r) { Space = SpaceProcessingModeValues.Preserve })));
        return paragraph;
    }

    public static Table Table(params string[][] rows) =>
        new(rows.Select(r => new TableRow(r.Select(c => new TableCell(Para(null, c))))));

    public static byte[] Zip(string entryName, string content)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
            writer.Write(content);
        }

        return stream.ToArray();
    }

    /// <summary>All words of a text, for checking that splitting lost or invented nothing.</summary>
    public static string[] Words(string text) => text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
