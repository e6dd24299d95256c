namespace Parley.Knowledge;

/// <summary>How big knowledge may be: an entry's parts (checked by the API and the importer) and an imported
/// document (checked by the readers before anything is stored).</summary>
public sealed record KnowledgeLimits
{
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 4000;
    public const int MaxQuestions = 20;
    public const int MaxQuestionLength = 300;

    public static readonly KnowledgeLimits Default = new();

    /// <summary>The largest file or page accepted, in bytes.</summary>
    public long MaxDocumentBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The most passages one source may become.</summary>
    public int MaxPassagesPerSource { get; init; } = 2000;
}
