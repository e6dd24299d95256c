using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;

namespace Parley.Knowledge;

/// <summary>Makes and reads the vectors stored with entries: one for the title and text, one per question,
/// each scaled to unit length so that a dot product is the cosine.</summary>
public sealed class KnowledgeEmbeddings(IEmbeddingGenerator<string, Embedding<float>> generator)
{
    /// <summary>The model the vectors come from; an entry embedded by another is embedded again before use.</summary>
    public string ModelName { get; } = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? generator.GetType().Name;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        return embeddings.Select(e => Unit(e.Vector.ToArray())).ToArray();
    }

    public async Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken) => (await EmbedAsync([text], cancellationToken))[0];

    /// <summary>Embeds an entry's text and questions into its <see cref="KnowledgeEntry.Embedding"/>.</summary>
    public async Task EmbedAsync(KnowledgeEntry entry, CancellationToken cancellationToken)
    {
        var vectors = await EmbedAsync([PassageText(entry), .. entry.Questions], cancellationToken);
        entry.Embedding = ToBytes(vectors);
        entry.EmbeddingModel = ModelName;
    }

    public async Task EmbedAsync(IReadOnlyList<KnowledgeEntry> entries, CancellationToken cancellationToken)
    {
        var texts = entries.SelectMany(e => e.Questions.Prepend(PassageText(e))).ToList();
        var vectors = await EmbedAsync(texts, cancellationToken);
        var next = 0;
        foreach (var entry in entries)
        {
            var count = entry.Questions.Count + 1;
            entry.Embedding = ToBytes(vectors.AsSpan(next, count).ToArray());
            entry.EmbeddingModel = ModelName;
            next += count;
        }
    }

    public static string PassageText(KnowledgeEntry entry) =>
        entry.Heading is { Length: > 0 } heading && heading != entry.Title ? $"{entry.Title}. {heading}. {entry.Text}" : $"{entry.Title}. {entry.Text}";

    public static byte[] ToBytes(float[][] vectors)
    {
        var dimensions = vectors.Length == 0 ? 0 : vectors[0].Length;
        var bytes = new byte[vectors.Length * dimensions * sizeof(float)];
        for (var i = 0; i < vectors.Length; i++)
        {
            MemoryMarshal.AsBytes(vectors[i].AsSpan()).CopyTo(bytes.AsSpan(i * dimensions * sizeof(float)));
        }

        return bytes;
    }

    /// <summary>The vectors of a blob made by <see cref="ToBytes"/>, given their dimension.</summary>
    public static float[][] FromBytes(byte[] bytes, int dimensions)
    {
        var floats = MemoryMarshal.Cast<byte, float>(bytes);
        var count = dimensions == 0 ? 0 : floats.Length / dimensions;
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = floats.Slice(i * dimensions, dimensions).ToArray();
        }

        return vectors;
    }

    private static float[] Unit(float[] vector)
    {
        var length = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(vector, vector));
        if (length > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, length, vector);
        }

        return vector;
    }
}
