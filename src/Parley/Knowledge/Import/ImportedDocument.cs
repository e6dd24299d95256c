namespace Parley.Knowledge.Import;

/// <summary>One passage the agent may quote, with the heading it sat under (null before the first heading).</summary>
public sealed record ImportedPassage(string Title, string? Heading, string Text);

/// <summary>What a file or web page reads as: its title and its passages, in document order.</summary>
public sealed record ImportedDocument(string Title, IReadOnlyList<ImportedPassage> Passages);

/// <summary>Why an import was refused; the API maps each to its status code.</summary>
public enum KnowledgeImportFailure
{
    /// <summary>Empty, unreadable, not what its name says, or no text in it (400).</summary>
    Invalid,

    /// <summary>Bigger than the limits allow (413).</summary>
    TooLarge,

    /// <summary>A kind of file or page we do not read (415).</summary>
    Unsupported,

    /// <summary>A web address that cannot be fetched: refused by the outbound guard, unreachable, or an error page (422).</summary>
    Unreachable,
}

/// <summary>Input that cannot become knowledge; the message says what is wrong in words the uploader understands.</summary>
public sealed class KnowledgeImportException(string message, KnowledgeImportFailure failure = KnowledgeImportFailure.Invalid, Exception? inner = null)
    : Exception(message, inner)
{
    public KnowledgeImportFailure Failure { get; } = failure;
}
