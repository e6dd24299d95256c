using Parley.Work;

namespace Parley.Knowledge.Import;

/// <summary>Start-up wiring of imports: the guarded page fetcher and the URL sources' re-fetch work.</summary>
public static class KnowledgeImportServices
{
    public static void AddKnowledgeImport(this IServiceCollection services)
    {
        WebPageFetcher.AddTo(services);
        services.AddWorkHandler<KnowledgeRefetcher>(KnowledgeRefetcher.Work);
    }
}
