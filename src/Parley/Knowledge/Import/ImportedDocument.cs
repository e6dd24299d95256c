namespace Parley.Knowledge.Import;

/// <summary>One passage read from a file or page, keeping the heading it sat under.</summary>
public sealed record ImportedPassage(string Title, string? Heading, string Text);

/// <summary>What a reader made of a file or page: its title and its passages, in order.</summary>
public sealed record ImportedDocument(string Title, IReadOnlyList<ImportedPassage> Passages);

/// <summary>Input that cannot become knowledge (empty, too big, binary, unsupported); the API answers it with a problem.</summary>
public sealed class KnowledgeImportException(string message) : Exception(message);
