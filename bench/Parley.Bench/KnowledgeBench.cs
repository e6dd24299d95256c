using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Accounts;
using Parley.Data;
using Parley.Knowledge;

namespace Parley.Bench;

/// <summary>
/// Knowledge retrieval over one tenant with many entries: <see cref="KnowledgeRetriever.RetrieveAsync"/>
/// as the agent calls it (normalising, embedding the question, full-text search, cosine over every vector),
/// beside its floor measured in the same run: embedding the question alone. Entries are seeded straight into
/// the database with vectors of a few hundred real passages reused, so the seeding takes seconds, not an
/// hour of embedding; the search cost does not depend on which vectors they are.
/// </summary>
internal static class KnowledgeBench
{
    private static readonly string[] Topics =
    [
        "closing", "repairs", "fees", "commissions", "cleanout", "furniture", "areas", "Toronto", "Hamilton", "offer", "price", "roof",
        "basement", "tenants", "probate", "inheritance", "foreclosure", "liens", "taxes", "mortgage", "condo", "townhouse", "land", "garage",
    ];

    private static readonly string[] Questions =
    [
        "how fast can u close", "do u buy houses that need work", "any fees?", "where did u get my number", "who is this",
        "do i have to clean out the house", "what areas do u buy in", "is ur offer fair", "can i leave my furniture", "whats the weather",
        "my roof leaks is that ok", "do u buy if there are tenants", "the house is in probate", "do u pay closing costs", "how much would u pay",
    ];

    public static async Task RunAsync(Func<TenantScope, ParleyDb> open, int entryCount)
    {
        var scope = new TenantScope();
        await using var db = open(scope);
        await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var tenantId = Guid.CreateVersion7();
        db.UseTenant(tenantId);
        db.Tenants.Add(new Tenant { Id = tenantId, Name = "Bench Home Buyers", TimeZone = "America/Toronto", ApiKeyHash = Guid.NewGuid().ToString("N") });
        await db.SaveChangesAsync();

        using var generator = new MiniLmEmbeddingGenerator();
        var embeddings = new KnowledgeEmbeddings(generator);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(db, embeddings, tenantId, entryCount);
        seeding.Stop();

        var retriever = new KnowledgeRetriever(db, new KnowledgeIndex(embeddings), embeddings);
        var loading = Stopwatch.StartNew();
        await retriever.RetrieveAsync(tenantId, null, Questions[0], 5, CancellationToken.None);
        loading.Stop();

        var floor = new List<double>();
        var retrieval = new List<double>();
        var found = 0;
        for (var round = 0; round < 20; round++)
        {
            foreach (var question in Questions)
            {
                var started = Stopwatch.GetTimestamp();
                await embeddings.EmbedAsync(question, CancellationToken.None);
                floor.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

                started = Stopwatch.GetTimestamp();
                var passages = await retriever.RetrieveAsync(tenantId, null, question, 5, CancellationToken.None);
                retrieval.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                found += passages.Count > 0 ? 1 : 0;
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Knowledge: {entryCount:N0} entries in one tenant (seeded in {seeding.Elapsed.TotalSeconds:0.0} s, first retrieval loading them {loading.Elapsed.TotalMilliseconds:0} ms); {retrieval.Count} retrievals.");
        Console.WriteLine($"{"",-40}{"p50 (ms)",10}{"p99 (ms)",10}");
        Console.WriteLine($"{"embedding the question alone (floor)",-40}{Percentile(floor, 0.5),10:0.0}{Percentile(floor, 0.99),10:0.0}");
        Console.WriteLine($"{"RetrieveAsync, embedding included",-40}{Percentile(retrieval, 0.5),10:0.0}{Percentile(retrieval, 0.99),10:0.0}");
        Console.WriteLine($"{"ratio to floor",-40}{Percentile(retrieval, 0.5) / Percentile(floor, 0.5),10:0.00}{Percentile(retrieval, 0.99) / Percentile(floor, 0.99),10:0.00}");
        Console.WriteLine($"retrievals with a passage above the threshold: {found} of {retrieval.Count}");
    }

    private static async Task SeedAsync(ParleyDb db, KnowledgeEmbeddings embeddings, Guid tenantId, int entryCount)
    {
        var passages = Enumerable.Range(0, 200).Select(i => Passage(i)).ToList();
        var passageVectors = await embeddings.EmbedAsync(passages.Select(p => $"{p.Title}. {p.Text}").ToList(), CancellationToken.None);
        var questionVectors = await embeddings.EmbedAsync(passages.Select(p => p.Question).ToList(), CancellationToken.None);
        var now = DateTime.UtcNow;
        for (var start = 0; start < entryCount; start += 1000)
        {
            for (var i = start; i < Math.Min(entryCount, start + 1000); i++)
            {
                var p = passages[i % passages.Count];
                db.KnowledgeEntries.Add(new KnowledgeEntry
                {
                    Id = Guid.CreateVersion7(),
                    TenantId = tenantId,
                    Title = $"{p.Title} ({i})",
                    Text = $"{p.Text} Listing {i} on {Topics[(i / 7) % Topics.Length]} street.",
                    Questions = [p.Question],
                    Embedding = KnowledgeEmbeddings.ToBytes([passageVectors[i % passages.Count], questionVectors[i % passages.Count]]),
                    EmbeddingModel = embeddings.ModelName,
                    CreatedAtUtc = now,
                    UpdatedAtUtc = now,
                });
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    private static (string Title, string Text, string Question) Passage(int i)
    {
        var topic = Topics[i % Topics.Length];
        var other = Topics[(i * 7 + 3) % Topics.Length];
        return ($"About {topic} and {other}", $"What we do about {topic} when selling a house with {other}: we handle it and pay the costs. Case {i}.",
            $"What about {topic} with {other}?");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
