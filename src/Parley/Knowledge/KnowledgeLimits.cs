namespace Parley.Knowledge;

/// <summary>How big knowledge may be: an entry's parts (checked by the API and the importer) and an imported
/// document (checked by the readers before anything is stored). The document limits and URL fetching are bound
/// from <c>Parley:Knowledge</c>.</summary>
public sealed record KnowledgeLimits
{
    public const string Section = "Parley:Knowledge";

    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 4000;
    public const int MaxQuestions = 20;
    public const int MaxQuestionLength = 300;

    public static readonly KnowledgeLimits Default = new();

    /// <summary>The largest file or page accepted, in bytes.</summary>
    public long MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most passages one source may become.</summary>
    public int MaxPassagesPerSource { get; set; } = 2000;

    /// <summary>Longest passage read from a document, in characters; longer sections are split at paragraph, then sentence boundaries.</summary>
    public int MaxPassageChars { get; set; } = 1200;

    /// <summary>Whole time a web page fetch may take, redirects included.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public int MaxRedirects { get; set; } = 5;

    /// <summary>How often a URL source is fetched again to pick up changes on the page.</summary>
    public TimeSpan RefetchInterval { get; set; } = TimeSpan.FromDays(1);
}
