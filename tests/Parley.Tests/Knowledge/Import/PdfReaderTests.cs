using System.Text;
using Parley.Knowledge.Import;
using static Parley.Tests.Knowledge.Import.TestDocuments;

namespace Parley.Tests.Knowledge.Import;

public sealed class PdfReaderTests
{
    private const string Process = "We look at the house once, with you, and make a written cash offer within a day. There is no obligation and no fee of any kind, and the offer stays open for a week.";
    private const string Closing = "Most sellers close in seven to fourteen days. If you need longer to move, you choose the date and we wait for you.";

    [Fact]
    public void A_pdf_splits_at_its_large_type_headings_and_keeps_the_document_title()
    {
        var pdf = Pdf("Seller guide", unicode: false,
            ["# Our process", .. Wrap(Process), "", "# Closing", .. Wrap(Closing)],
            ["# Fees", "None. We pay the closing costs."]);

        var document = Read("guide.pdf", pdf);

        Assert.Equal("Seller guide", document.Title);
        Assert.Equal(["Our process", "Closing", "Fees"], document.Passages.Select(p => p.Heading));
        Assert.Equal(Process, document.Passages[0].Text);
        Assert.Equal(Closing, document.Passages[1].Text);
        Assert.Equal("None. We pay the closing costs.", document.Passages[2].Text);
    }

    [Fact]
    public void A_pdf_without_a_title_is_named_by_its_first_heading()
    {
        var document = Read("scan-0042.pdf", Pdf(null, unicode: false, ["# Maple Home Buyers", "Cash for houses in Hamilton."]));

        Assert.Equal("Maple Home Buyers", document.Title);
    }

    [Fact]
    public void Unicode_text_in_an_embedded_font_is_read_back()
    {
        var document = Read("es.pdf", Pdf("Guía", unicode: true, ["# Preguntas frecuentes", "¿Compran casas dañadas? Sí, en cualquier condición: señora Núñez lo confirma."]));

        var passage = Assert.Single(document.Passages);
        Assert.Equal("Preguntas frecuentes", passage.Heading);
        Assert.Equal("¿Compran casas dañadas? Sí, en cualquier condición: señora Núñez lo confirma.", passage.Text);
    }

    [Fact]
    public void A_pdf_with_pages_but_no_text_layer_is_refused_as_having_no_text()
    {
        var error = Refused("scanned.pdf", Pdf("Scan", unicode: false, [], []));

        Assert.Contains("scanned PDF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_named_pdf_that_holds_text_is_refused_saying_so()
    {
        var error = Refused("offer.pdf", "We buy houses for cash."u8.ToArray());

        Assert.Equal("\"offer.pdf\" is not a PDF; it holds text, so give it a .txt name.", error.Message);
    }

    [Fact]
    public void A_file_named_pdf_that_is_a_word_document_is_refused_saying_so()
    {
        var docx = Docx(null, [Para(null, "hello")]);

        Assert.Equal("\"offer.pdf\" is not a PDF; it is a zip archive (a Word or Excel file?).", Refused("offer.pdf", docx).Message);
    }

    [Fact]
    public void A_damaged_pdf_is_refused_with_a_clear_message()
    {
        var garbage = new byte[3000];
        new Random(11).NextBytes(garbage);
        var damaged = Encoding.ASCII.GetBytes("%PDF-1.7\n").Concat(garbage).ToArray();

        var error = Refused("broken.pdf", damaged);

        Assert.Equal(KnowledgeImportFailure.Invalid, error.Failure);
        Assert.StartsWith("\"broken.pdf\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pdf_cut_off_half_way_is_refused_or_read_only_for_what_it_holds()
    {
        var pdf = Pdf("Guide", unicode: false, ["# Fees", "None. We pay the closing costs."]);

        // PdfPig recovers what it can from a truncated file; either it reads true text or it refuses, never noise.
        try
        {
            var document = Read("cut.pdf", pdf[..(pdf.Length / 2)]);
            Assert.All(document.Passages, p => Assert.Contains(p.Text, "None. We pay the closing costs.", StringComparison.Ordinal));
        }
        catch (KnowledgeImportException error)
        {
            Assert.StartsWith("\"cut.pdf\"", error.Message, StringComparison.Ordinal);
        }
    }
}
