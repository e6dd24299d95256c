namespace Parley.Knowledge;

/// <summary>A passage the agent may use, with how well it matched (0 to 1).</summary>
public sealed record KnowledgePassage(Guid Id, string Title, string Text, double Score);

/// <summary>Finds the tenant's passages that answer what a texter wrote.</summary>
public interface IKnowledgeRetriever
{
    /// <summary>Passages that match above the threshold, best first; empty when nothing really matches.</summary>
    Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid tenantId, Guid? assistantId, string text, int limit, CancellationToken cancellationToken);
}
