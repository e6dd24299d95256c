using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Parley.Knowledge.Import;

/// <summary>
/// Reads an HTML page (or Markdown rendered to HTML) as sections: headings start them, block elements are
/// paragraphs, table rows are lines of cells. Scripts, styles, navigation, footers and hidden elements are
/// not knowledge and are dropped; when the page marks its main content, only that is read.
/// </summary>
internal static class HtmlSections
{
    private static readonly string[] Dropped = ["script", "style", "noscript", "template", "nav", "footer", "svg", "iframe", "object", "button", "select", "form", "[hidden]", "[aria-hidden=true]"];

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "aside", "header", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
        "table", "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "address", "details", "summary", "hr", "br",
    };

    public static (string? Title, IReadOnlyList<DocumentSection> Sections) Read(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.QuerySelectorAll(string.Join(',', Dropped)).ToList())
        {
            element.Remove();
        }

        var root = document.QuerySelector("main") ?? document.QuerySelector("article") ?? document.Body ?? (INode)document;
        var builder = new SectionBuilder();
        Walk(root, builder);
        var title = Whitespace.Collapse(document.Title ?? "");
        return (title.Length > 0 ? title : builder.FirstHeading, builder.Sections);
    }

    private static void Walk(INode node, SectionBuilder builder)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    builder.Append(text.Data);
                    break;
                case IElement { LocalName: "h1" or "h2" or "h3" or "h4" or "h5" or "h6" } heading:
                    builder.Heading(heading.TextContent);
                    break;
                case IElement { LocalName: "tr" } row:
                    builder.Paragraph(string.Join(" | ", row.Children.Select(c => Whitespace.Collapse(c.TextContent)).Where(c => c.Length > 0)));
                    break;
                case IElement { LocalName: "img" } image when image.GetAttribute("alt") is { Length: > 0 } alt:
                    builder.Append($" {alt} ");
                    break;
                case IElement element when Blocks.Contains(element.LocalName):
                    builder.EndParagraph();
                    Walk(element, builder);
                    builder.EndParagraph();
                    break;
                case IElement element:
                    Walk(element, builder);
                    break;
            }
        }
    }
}
