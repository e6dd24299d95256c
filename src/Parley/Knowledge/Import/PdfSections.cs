using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.Exceptions;

namespace Parley.Knowledge.Import;

/// <summary>
/// Reads a PDF's text layer with PdfPig: each page is cut into text blocks in reading order, each block is a
/// paragraph, and a short line set clearly larger than the body text is a heading. A PDF has no heading
/// markup, so the size is the signal its author gave.
/// </summary>
internal static class PdfSections
{
    private const double HeadingScale = 1.15;

    public static (string? Title, IReadOnlyList<DocumentSection> Sections) Read(byte[] bytes, string fileName)
    {
        try
        {
            using var document = PdfDocument.Open(bytes);
            var lines = new List<(string Text, double Size, bool EndsBlock)>();
            foreach (var page in document.GetPages())
            {
                var words = page.GetWords().Where(w => !string.IsNullOrWhiteSpace(w.Text)).ToList();
                if (words.Count == 0)
                {
                    continue;
                }

                var blocks = DefaultReadingOrderDetector.Instance.Get(DocstrumBoundingBoxes.Instance.GetBlocks(words));
                foreach (var block in blocks.OrderBy(b => b.ReadingOrder))
                {
                    for (var i = 0; i < block.TextLines.Count; i++)
                    {
                        var line = block.TextLines[i];
                        lines.Add((line.Text, Size(line), i == block.TextLines.Count - 1));
                    }
                }
            }

            var body = BodySize(lines.Select(l => (l.Text.Length, l.Size)));
            var builder = new SectionBuilder();
            var headingLines = new List<string>();
            foreach (var (text, size, endsBlock) in lines)
            {
                var isHeading = size >= body * HeadingScale && text.Length <= 120;
                if (isHeading)
                {
                    builder.EndParagraph();
                    headingLines.Add(text);
                    continue;
                }

                if (headingLines.Count > 0)
                {
                    builder.Heading(string.Join(' ', headingLines));
                    headingLines.Clear();
                }

                builder.Append(text + " ");
                if (endsBlock)
                {
                    builder.EndParagraph();
                }
            }

            if (headingLines.Count > 0)
            {
                builder.Paragraph(string.Join(' ', headingLines)); // large text with nothing under it is still text
            }

            var title = document.Information.Title is { Length: > 0 } t ? Whitespace.Collapse(t) : builder.FirstHeading;
            return (title, builder.Sections);
        }
        // A parser handed hostile bytes can fail in any way; every failure means the same to the uploader.
        catch (Exception ex) when (ex is not (KnowledgeImportException or OutOfMemoryException))
        {
            throw new KnowledgeImportException(
                ex is PdfDocumentEncryptedException
                    ? $"\"{fileName}\" is password-protected; save a copy without the password and upload that."
                    : $"\"{fileName}\" could not be read as a PDF (it may be damaged).",
                KnowledgeImportFailure.Invalid, ex);
        }
    }

    private static double Size(TextLine line)
    {
        var letters = line.Words.SelectMany(w => w.Letters).Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToList();
        return letters.Count == 0 ? 0 : letters.Average(l => l.PointSize);
    }

    /// <summary>The size most of the characters are set in.</summary>
    private static double BodySize(IEnumerable<(int Length, double Size)> lines)
    {
        var bySize = lines.GroupBy(l => Math.Round(l.Size, 1)).Select(g => (Size: g.Key, Chars: g.Sum(l => l.Length))).ToList();
        return bySize.Count == 0 ? 0 : bySize.MaxBy(g => g.Chars).Size;
    }
}
