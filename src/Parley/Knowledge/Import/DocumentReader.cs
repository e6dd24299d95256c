using Markdig;

namespace Parley.Knowledge.Import;

/// <summary>The formats knowledge is read from.</summary>
public enum DocumentFormat
{
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
    Csv,
}

/// <summary>
/// Reads an uploaded file or fetched page into passages. The format comes from the file's extension, or from
/// its content type when the name has none we know; the bytes must then be what the name says. Nothing here
/// touches the database or the network.
/// </summary>
public static class DocumentReader
{
    public const string SupportedList = ".txt, .md, .html, .pdf, .docx or .csv";

    private static readonly Dictionary<string, DocumentFormat> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = DocumentFormat.Text,
        [".text"] = DocumentFormat.Text,
        [".md"] = DocumentFormat.Markdown,
        [".markdown"] = DocumentFormat.Markdown,
        [".html"] = DocumentFormat.Html,
        [".htm"] = DocumentFormat.Html,
        [".pdf"] = DocumentFormat.Pdf,
        [".docx"] = DocumentFormat.Docx,
        [".csv"] = DocumentFormat.Csv,
    };

    private static readonly Dictionary<string, DocumentFormat> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = DocumentFormat.Text,
        ["text/markdown"] = DocumentFormat.Markdown,
        ["text/x-markdown"] = DocumentFormat.Markdown,
        ["text/html"] = DocumentFormat.Html,
        ["application/xhtml+xml"] = DocumentFormat.Html,
        ["application/pdf"] = DocumentFormat.Pdf,
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = DocumentFormat.Docx,
        ["text/csv"] = DocumentFormat.Csv,
    };

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().UseGridTables().UseAutoLinks().UseEmphasisExtras().Build();

    /// <summary>The format of a file or page, or null when it is none we read.</summary>
    public static DocumentFormat? FormatOf(string? fileName, string? contentType) =>
        Path.GetExtension(fileName ?? "") is { Length: > 0 } extension && Extensions.TryGetValue(extension, out var byName) ? byName
        : MediaType(contentType) is { } media && ContentTypes.TryGetValue(media, out var byType) ? byType
        : null;

    /// <summary>The media type of a Content-Type value without its parameters (<c>text/html; charset=utf-8</c> → <c>text/html</c>).</summary>
    public static string? MediaType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? null : contentType.Split(';')[0].Trim();

    public static ImportedDocument Read(string fileName, string? contentType, Stream content, KnowledgeLimits limits)
    {
        var name = string.IsNullOrWhiteSpace(fileName) ? "the document" : Path.GetFileName(fileName);
        var format = FormatOf(fileName, contentType) ?? throw new KnowledgeImportException(
            Path.GetExtension(fileName) is { Length: > 0 } extension
                ? $"\"{name}\" is a {extension} file; knowledge can be read from {SupportedList} files."
                : $"\"{name}\" has no extension we read; knowledge can be read from {SupportedList} files.",
            KnowledgeImportFailure.Unsupported);
        var bytes = ReadLimited(content, limits.MaxDocumentBytes, name);
        return Read(name, format, bytes, limits);
    }

    public static ImportedDocument Read(string name, DocumentFormat format, byte[] bytes, KnowledgeLimits limits)
    {
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
        {
            throw new KnowledgeImportException($"\"{name}\" is empty.");
        }

        var (title, sections) = format switch
        {
            DocumentFormat.Pdf => FileSignature.IsPdf(bytes)
                ? PdfSections.Read(bytes, name)
                : throw new KnowledgeImportException($"\"{name}\" is not a PDF{Actually(bytes)}."),
            DocumentFormat.Docx => FileSignature.IsZip(bytes)
                ? DocxSections.Read(bytes, name)
                : throw new KnowledgeImportException($"\"{name}\" is not a Word document (.docx){Actually(bytes)}."),
            DocumentFormat.Html => HtmlSections.Read(TextDecoding.Decode(bytes, name)),
            DocumentFormat.Markdown => ReadMarkdown(TextDecoding.Decode(bytes, name)),
            DocumentFormat.Csv => (null, CsvEntries.Read(TextDecoding.Decode(bytes, name), name)),
            _ => (null, PlainTextSections.Read(TextDecoding.Decode(bytes, name))),
        };

        var documentTitle = !string.IsNullOrWhiteSpace(title) ? title
            : Path.GetFileNameWithoutExtension(name) is { Length: > 0 } stem ? stem : name;
        var passages = PassageSplitter.Split(documentTitle, sections, limits);
        if (passages.Count == 0)
        {
            throw new KnowledgeImportException(format == DocumentFormat.Pdf
                ? $"\"{name}\" has no text to read; a scanned PDF is only pictures of text, so it needs its text added (OCR) first."
                : $"\"{name}\" has no text to read.");
        }

        return new ImportedDocument(documentTitle, passages);
    }

    /// <summary>Markdown is rendered to HTML and read like a page; its first heading is its title.</summary>
    private static (string? Title, IReadOnlyList<DocumentSection> Sections) ReadMarkdown(string markdown)
    {
        var (_, sections) = HtmlSections.Read(Markdig.Markdown.ToHtml(markdown, Markdown));
        return (sections.FirstOrDefault(s => s.Heading is not null)?.Heading, sections);
    }

    private static string Actually(byte[] bytes) => FileSignature.Describe(bytes) is { } actual
        ? $"; it is {actual}"
        : TextLike(bytes) ? "; it holds text, so give it a .txt name" : "";

    private static bool TextLike(byte[] bytes)
    {
        try
        {
            TextDecoding.Decode(bytes, "");
            return true;
        }
        catch (KnowledgeImportException)
        {
            return false;
        }
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; a stream with more is refused without reading the rest.</summary>
    private static byte[] ReadLimited(Stream content, long maxBytes, string name)
    {
        if (content.CanSeek && content.Length - content.Position > maxBytes)
        {
            throw TooLarge(name, maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = content.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(name, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static KnowledgeImportException TooLarge(string name, long maxBytes) => new(
        $"\"{name}\" is larger than {Size(maxBytes)}, the most one file or page may be (the setting Parley__Knowledge__MaxDocumentBytes).",
        KnowledgeImportFailure.TooLarge);

    private static string Size(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB"
        : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} bytes";
}
