using Microsoft.Extensions.AI;

namespace Parley.Knowledge;

/// <summary>Start-up wiring of the knowledge feature.</summary>
public static class KnowledgeServices
{
    public static void AddParleyKnowledge(this IServiceCollection services)
    {
        services.AddSingleton(KnowledgeLimits.Default);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, MiniLmEmbeddingGenerator>();
        services.AddSingleton<KnowledgeEmbeddings>();
        services.AddScoped<IKnowledgeRetriever, KnowledgeRetriever>();
        services.AddScoped<KnowledgeGaps>();
        services.AddScoped<KnowledgeImporter>();
    }
}
