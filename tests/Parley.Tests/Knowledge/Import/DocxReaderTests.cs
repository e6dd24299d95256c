using Parley.Knowledge.Import;
using static Parley.Tests.Knowledge.Import.TestDocuments;

namespace Parley.Tests.Knowledge.Import;

public sealed class DocxReaderTests
{
    private static readonly Dictionary<string, string> EnglishStyles = new() { ["Title"] = "Title", ["Heading1"] = "heading 1", ["Heading2"] = "heading 2", ["Normal"] = "Normal" };

    [Fact]
    public void Heading_styles_split_a_word_document_and_the_title_style_names_it()
    {
        var docx = Docx(null,
        [
            Para("Title", "Seller handbook"),
            Para("Normal", "Read this before you sell."),
            Para("Heading1", "Who we are"),
            Para("Normal", "A family company ", "buying houses since 2009."),
            Para("Heading2", "Where we buy"),
            Para(null, "Hamilton, Burlington and Grimsby."),
            Table(["Area", "Close"], ["Hamilton", "7 days"]),
        ], EnglishStyles);

        var document = Read("handbook.docx", docx);

        Assert.Equal("Seller handbook", document.Title);
        Assert.Collection(document.Passages,
            p => Assert.Equal(("Seller handbook", (string?)null, "Read this before you sell."), (p.Title, p.Heading, p.Text)),
            p => Assert.Equal(("Who we are", "A family company buying houses since 2009."), (p.Heading, p.Text)),
            p => Assert.Equal(("Where we buy", "Hamilton, Burlington and Grimsby.\n\nArea | Close\n\nHamilton | 7 days"), (p.Heading, p.Text)));
    }

    [Fact]
    public void A_localised_heading_style_is_known_by_its_name()
    {
        // German Word writes the style id "berschrift1" for the built-in style named "heading 1".
        var docx = Docx("Verkäuferhandbuch", [Para("berschrift1", "Über uns"), Para("Standard", "Wir kaufen Häuser – schnell & fair.")],
            new Dictionary<string, string> { ["berschrift1"] = "heading 1", ["Standard"] = "Normal" });

        var document = Read("handbuch.docx", docx);

        Assert.Equal("Verkäuferhandbuch", document.Title);
        var passage = Assert.Single(document.Passages);
        Assert.Equal(("Über uns", "Wir kaufen Häuser – schnell & fair."), (passage.Heading, passage.Text));
    }

    [Fact]
    public void Heading_style_ids_work_without_a_styles_part()
    {
        var document = Read("bare.docx", Docx(null, [Para("Heading1", "Fees"), Para(null, "None at all.")]));

        Assert.Equal(("Fees", "Fees", "None at all."), (document.Title, document.Passages[0].Heading, document.Passages[0].Text));
    }

    [Fact]
    public void A_word_document_with_only_empty_paragraphs_has_no_text()
    {
        var error = Refused("blank.docx", Docx(null, [Para(null), Para(null, "   ")]));

        Assert.Contains("has no text to read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_that_is_not_a_word_document_is_refused()
    {
        var error = Refused("notes.docx", Zip("notes.txt", "just a zip"));

        Assert.StartsWith("\"notes.docx\" is not a Word document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_named_docx_that_is_a_pdf_or_text_says_what_it_is()
    {
        Assert.Equal("\"cv.docx\" is not a Word document (.docx); it is a PDF.", Refused("cv.docx", Pdf(null, false, ["hello"])).Message);
        Assert.Equal("\"cv.docx\" is not a Word document (.docx); it holds text, so give it a .txt name.", Refused("cv.docx", "plain words").Message);
    }
}
