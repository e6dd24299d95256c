using System.Text;
using Parley.Knowledge;
using Parley.Knowledge.Import;
using static Parley.Tests.Knowledge.Import.TestDocuments;

namespace Parley.Tests.Knowledge.Import;

public sealed class PlainTextAndMarkdownTests
{
    private const string Faq = """
        Who we are

        Maple Home Buyers is a family business in Hamilton. We have bought houses for cash since 2009.

        How fast can you close?

        Usually in 7 to 14 days. If you need more time, you pick the closing date.

        REPAIRS:
        We buy as-is. You do not need to fix or clean anything.
        """;

    [Fact]
    public void A_text_file_splits_at_its_headings_and_each_passage_keeps_its_heading()
    {
        var document = Read("faq.txt", Faq);

        Assert.Equal("faq", document.Title);
        Assert.Collection(document.Passages,
            p => Assert.Equal(("Who we are", "Who we are", "Maple Home Buyers is a family business in Hamilton. We have bought houses for cash since 2009."), (p.Title, p.Heading, p.Text)),
            p => Assert.Equal(("How fast can you close?", "Usually in 7 to 14 days. If you need more time, you pick the closing date."), (p.Heading, p.Text)),
            p => Assert.Equal(("REPAIRS", "We buy as-is. You do not need to fix or clean anything."), (p.Heading, p.Text)));
    }

    [Fact]
    public void A_question_line_is_a_heading_only_when_it_stands_alone_above_its_answer()
    {
        // A question with its answer on the next line is one paragraph; a line underlined with === is a heading.
        var document = Read("notes.txt", "Do you charge fees?\nNo. There are no fees or commissions.\n\nClosing costs\n=============\nWe pay them all.");

        Assert.Equal(2, document.Passages.Count);
        Assert.Null(document.Passages[0].Heading);
        Assert.Equal("Do you charge fees? No. There are no fees or commissions.", document.Passages[0].Text);
        Assert.Equal("Closing costs", document.Passages[1].Heading);
        Assert.Equal("We pay them all.", document.Passages[1].Text);
    }

    [Fact]
    public void Text_without_headings_is_titled_by_the_file_name()
    {
        var document = Read("About Maple.txt", "we buy houses in any condition, even with tenants in them.");

        var passage = Assert.Single(document.Passages);
        Assert.Equal("About Maple", passage.Title);
        Assert.Null(passage.Heading);
    }

    [Theory]
    [InlineData("Café, crème brûlée & naïve façade — “smart quotes” ‘too’")]
    [InlineData("Compramos casas en cualquier condición. ¿Preguntas? Llámenos: señora Núñez.")]
    [InlineData("我们用现金买房。 Nous achetons des maisons. Мы покупаем дома. 🏠✅")]
    [InlineData("Zero\u200Bwidth and non\u00A0breaking spaces become plain")]
    public void Unicode_text_survives_as_written(string text)
    {
        var passage = Assert.Single(Read("unicode.txt", text).Passages);

        Assert.Equal(text.Replace("\u200B", " ", StringComparison.Ordinal).Replace('\u00A0', ' '), passage.Text);
    }

    [Fact]
    public void Utf16_with_a_byte_order_mark_and_windows_1252_files_are_decoded()
    {
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Closing in 7 days — guaranteed.")).ToArray();
        Assert.Equal("Closing in 7 days — guaranteed.", Assert.Single(Read("a.txt", utf16).Passages).Text);

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var legacy = Encoding.GetEncoding(1252).GetBytes("Café owner’s “as-is” offer");
        Assert.Equal("Café owner’s “as-is” offer", Assert.Single(Read("b.txt", legacy).Passages).Text);
    }

    [Fact]
    public void A_long_section_is_split_at_sentence_boundaries_into_bounded_passages_that_keep_every_word()
    {
        var sentences = Enumerable.Range(1, 60).Select(i => $"Step {i} of our process is simple and we explain it on the phone before you decide anything.");
        var paragraphs = sentences.Chunk(12).Select(c => string.Join(' ', c));
        var text = "Our process\n\n" + string.Join("\n\n", paragraphs);
        var limits = new KnowledgeLimits { MaxPassageChars = 400 };

        var document = Read("process.txt", text, limits: limits);

        Assert.True(document.Passages.Count >= 15, $"only {document.Passages.Count} passages");
        Assert.All(document.Passages, p =>
        {
            Assert.InRange(p.Text.Length, 1, 400);
            Assert.Equal("Our process", p.Heading);
            Assert.EndsWith(".", p.Text, StringComparison.Ordinal); // cut after a sentence, never inside one
        });
        Assert.Equal($"Our process (1/{document.Passages.Count})", document.Passages[0].Title);
        Assert.Equal(Words(string.Join(' ', paragraphs)), document.Passages.SelectMany(p => Words(p.Text)));
    }

    [Fact]
    public void A_run_on_sentence_with_no_full_stop_is_cut_between_words()
    {
        var words = Enumerable.Range(1, 300).Select(i => $"word{i}").ToArray();
        var document = Read("runon.txt", string.Join(' ', words), limits: new KnowledgeLimits { MaxPassageChars = 200 });

        Assert.All(document.Passages, p => Assert.InRange(p.Text.Length, 1, 200));
        Assert.Equal(words, document.Passages.SelectMany(p => Words(p.Text)));
    }

    [Fact]
    public void A_document_making_more_passages_than_allowed_is_refused_as_too_large()
    {
        var text = string.Join("\n\n", Enumerable.Range(1, 30).Select(i => $"Heading {i}\n\nAnswer number {i}."));

        var error = Assert.Throws<KnowledgeImportException>(() => Read("many.txt", text, limits: new KnowledgeLimits { MaxPassagesPerSource = 10 }));

        Assert.Equal(KnowledgeImportFailure.TooLarge, error.Failure);
        Assert.Contains("more than 10 passages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_headings_split_passages_and_the_first_heading_titles_the_document()
    {
        const string markdown = """
            # Maple Home Buyers FAQ

            We are a **local**, family-run company. See [our reviews](https://example.com/reviews).

            ## Where did you get my number?

            From public property records. Reply *STOP* and we will never text again.

            ## What we buy

            - Houses that need work
            - Rentals with tenants
            - Inherited homes

            | Area | Typical close |
            | --- | --- |
            | Hamilton | 7 days |
            | Burlington | 10 days |

            <script>alert('x')</script>
            """;

        var document = Read("faq.md", markdown);

        Assert.Equal("Maple Home Buyers FAQ", document.Title);
        Assert.Equal(["Maple Home Buyers FAQ", "Where did you get my number?", "What we buy"], document.Passages.Select(p => p.Heading));
        Assert.Equal("We are a local, family-run company. See our reviews.", document.Passages[0].Text);
        Assert.Equal("From public property records. Reply STOP and we will never text again.", document.Passages[1].Text);
        var buy = document.Passages[2].Text;
        Assert.Contains("Houses that need work\n\nRentals with tenants\n\nInherited homes", buy, StringComparison.Ordinal);
        Assert.Contains("Hamilton | 7 days", buy, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", buy, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_without_headings_is_titled_by_its_file_name()
    {
        var document = Read("hours.markdown", "Open *Mon–Sat*, 9–6. Closed Sundays.");

        Assert.Equal("hours", document.Title);
        Assert.Equal("Open Mon–Sat, 9–6. Closed Sundays.", Assert.Single(document.Passages).Text);
    }

    [Theory]
    [InlineData("empty.txt", "")]
    [InlineData("blank.txt", "  \n\n\t \r\n")]
    [InlineData("blank.md", "\n\n")]
    [InlineData("blank.csv", " ")]
    public void An_empty_file_is_refused_as_empty(string name, string text)
    {
        var error = Refused(name, text);

        Assert.Equal(KnowledgeImportFailure.Invalid, error.Failure);
        Assert.Equal($"\"{name}\" is empty.", error.Message);
    }

    [Fact]
    public void A_markdown_file_of_only_headings_has_no_text()
    {
        var error = Refused("toc.md", "# Title\n\n## Part one\n\n## Part two\n");

        Assert.Contains("has no text to read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_file_that_holds_binary_data_is_refused()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);

        var error = Refused("notes.txt", random);

        Assert.Equal("\"notes.txt\" holds binary data, not text.", error.Message);
    }

    [Theory]
    [InlineData("%PDF-1.7\n%âãÏÓ\n1 0 obj", "a PDF")]
    [InlineData("PK\u0003\u0004\u0014\u0000\u0006\u0000", "a zip archive")]
    [InlineData("\u0089PNG\r\n\u001a\n", "a PNG image")]
    public void A_text_file_that_is_really_another_format_says_what_it_is(string start, string actual)
    {
        var bytes = Encoding.Latin1.GetBytes(start + new string('x', 100));

        var error = Refused("faq.txt", bytes);

        Assert.Contains($"is {actual}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("brochure.doc", ".doc")]
    [InlineData("listings.xlsx", ".xlsx")]
    [InlineData("setup.exe", ".exe")]
    [InlineData("photo.jpg", ".jpg")]
    public void An_unsupported_extension_is_refused_naming_what_is_supported(string name, string extension)
    {
        var error = Refused(name, "hello there");

        Assert.Equal(KnowledgeImportFailure.Unsupported, error.Failure);
        Assert.Contains($"is a {extension} file", error.Message, StringComparison.Ordinal);
        Assert.Contains(".txt, .md, .html, .pdf, .docx or .csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_without_extension_is_read_by_its_content_type()
    {
        Assert.Equal("We buy houses.", Assert.Single(Read("about", "We buy houses.", "text/plain; charset=utf-8").Passages).Text);
        Assert.Equal(KnowledgeImportFailure.Unsupported, Refused("about", "We buy houses.", "application/octet-stream").Failure);
        Assert.Equal(KnowledgeImportFailure.Unsupported, Refused("about", "We buy houses.").Failure);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_without_reading_past_the_limit()
    {
        var limits = new KnowledgeLimits { MaxDocumentBytes = 2048 };
        var content = new CountingStream(Encoding.UTF8.GetBytes(new string('a', 1_000_000)));

        var error = Assert.Throws<KnowledgeImportException>(() => DocumentReader.Read("big.txt", "text/plain", content, limits));

        Assert.Equal(KnowledgeImportFailure.TooLarge, error.Failure);
        Assert.Contains("larger than 2 KB", error.Message, StringComparison.Ordinal);
        Assert.InRange(content.BytesRead, 2048, 2048 + 81920);
    }

    /// <summary>A forward-only upload stream that counts what was read from it.</summary>
    private sealed class CountingStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
