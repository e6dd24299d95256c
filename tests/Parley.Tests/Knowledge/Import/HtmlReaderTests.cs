using Parley.Knowledge.Import;
using static Parley.Tests.Knowledge.Import.TestDocuments;

namespace Parley.Tests.Knowledge.Import;

public sealed class HtmlReaderTests
{
    private const string Page = """
        <!doctype html>
        <html lang="en"><head>
          <title>About us &amp; FAQ | Maple Home Buyers</title>
          <style>.hero { color: red }</style>
          <script>window.dataLayer = []; trackVisit("secret-token");</script>
        </head>
        <body>
          <nav><a href="/">Home</a> <a href="/sell">Sell your house</a> <a href="/blog">Blog</a></nav>
          <header><h1>We buy houses for cash</h1><p>Any condition, any&nbsp;situation.</p></header>
          <h2>How it works</h2>
          <ol><li>Tell us about the house.</li><li>Get a fair cash offer in 24 hours.</li><li>Close on <b>your</b> date.</li></ol>
          <h2>Fees</h2>
          <p>There are <em>no</em> fees, no commissions and we pay closing costs.</p>
          <div hidden>Internal note: do not show</div>
          <h3>Areas</h3>
          <table><tr><th>City</th><th>Typical close</th></tr><tr><td>Hamilton</td><td>7 days</td></tr></table>
          <noscript>Enable JavaScript</noscript>
          <footer><p>© 2026 Maple Home Buyers · Privacy · Terms</p></footer>
        </body></html>
        """;

    [Fact]
    public void A_page_keeps_its_headings_and_drops_scripts_styles_navigation_and_footer()
    {
        var document = Read("about.html", Page);

        Assert.Equal("About us & FAQ | Maple Home Buyers", document.Title);
        Assert.Equal(["We buy houses for cash", "How it works", "Fees", "Areas"], document.Passages.Select(p => p.Heading));
        Assert.Equal("Any condition, any situation.", document.Passages[0].Text);
        Assert.Equal("Tell us about the house.\n\nGet a fair cash offer in 24 hours.\n\nClose on your date.", document.Passages[1].Text);
        Assert.Equal("There are no fees, no commissions and we pay closing costs.", document.Passages[2].Text);
        Assert.Equal("City | Typical close\n\nHamilton | 7 days", document.Passages[3].Text);

        var all = string.Join(' ', document.Passages.Select(p => p.Text));
        foreach (var dropped in new[] { "dataLayer", "secret-token", "color: red", "Sell your house", "Blog", "Privacy", "Internal note", "Enable JavaScript" })
        {
            Assert.DoesNotContain(dropped, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void When_a_page_marks_its_main_content_only_that_is_read()
    {
        const string html = """
            <html><body>
            <div class="sidebar"><h2>Latest posts</h2><p>10 tips for staging</p></div>
            <main><h1>Selling an inherited house</h1><p>We handle probate sales every month.</p></main>
            <div class="cookie">We use cookies.</div>
            </body></html>
            """;

        var passage = Assert.Single(Read("page.htm", html).Passages);

        Assert.Equal(("Selling an inherited house", "We handle probate sales every month."), (passage.Heading, passage.Text));
    }

    [Fact]
    public void A_page_without_a_title_is_named_by_its_first_heading_and_images_speak_by_their_alt_text()
    {
        var document = Read("x.html", "<h1>Our team</h1><p>Meet Dana <img src=d.jpg alt=\"Dana Singh, founder\"> who answers every call.</p>");

        Assert.Equal("Our team", document.Title);
        Assert.Equal("Meet Dana Dana Singh, founder who answers every call.", Assert.Single(document.Passages).Text);
    }

    [Fact]
    public void Unicode_and_entities_come_through_decoded()
    {
        var document = Read("es.html", "<html lang=es><head><meta charset=utf-8><title>Preguntas</title></head><body><p>¿Compran casas con inquilinos? Sí &mdash; &quot;tal cual&quot; &#x1F3E0;</p></body></html>");

        Assert.Equal("¿Compran casas con inquilinos? Sí — \"tal cual\" 🏠", Assert.Single(document.Passages).Text);
    }

    [Theory]
    [InlineData("<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>")]
    [InlineData("<html><body><img src=logo.png></body></html>")]
    [InlineData("<!-- nothing but a comment -->")]
    public void A_page_with_no_readable_text_is_refused(string html)
    {
        var error = Refused("empty.html", html);

        Assert.Contains("has no text to read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_is_read_by_its_content_type_when_its_name_says_nothing()
    {
        var document = Read("index.php", "<h1>Cash offers</h1><p>In 24 hours.</p>", "text/html; charset=utf-8");

        Assert.Equal("In 24 hours.", Assert.Single(document.Passages).Text);
    }
}
