using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Parley.Knowledge;

/// <summary>Start-up wiring of the knowledge feature.</summary>
public static class KnowledgeServices
{
    public static void AddParleyKnowledge(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<KnowledgeLimits>>().Value); // bound and validated with the other options
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, MiniLmEmbeddingGenerator>();
        services.AddSingleton<KnowledgeEmbeddings>();
        services.AddSingleton<KnowledgeIndex>();
        services.AddScoped<IKnowledgeRetriever, KnowledgeRetriever>();
        services.AddScoped<KnowledgeGaps>();
        services.AddScoped<KnowledgeImporter>();
    }
}
