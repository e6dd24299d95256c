using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Agent;

/// <summary>The conversation's own assistant, else the tenant's default, else a new default one.</summary>
public sealed class AssistantSelector(ParleyDb db, TimeProvider time)
{
    public async Task<Assistant> ForConversationAsync(Guid tenantId, Guid? assistantId, CancellationToken cancellationToken)
    {
        if (assistantId is { } id && await db.Assistants.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is { } own)
        {
            return own;
        }

        return await DefaultAsync(tenantId, cancellationToken);
    }

    public async Task<Assistant> DefaultAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var assistant = db.Assistants.Local.FirstOrDefault(a => a.IsDefault)
            ?? await db.Assistants.OrderByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAtUtc).FirstOrDefaultAsync(cancellationToken);
        if (assistant is not null)
        {
            return assistant;
        }

        // The tenant's first texts may arrive together on several workers or instances: each would make a
        // default assistant. One id per tenant makes the second insert a key conflict, so its unit of work
        // fails and, retried, finds the one that was saved.
        assistant = new Assistant
        {
            Id = DefaultIdFor(tenantId),
            TenantId = tenantId,
            Name = "SMS Assistant",
            SystemPrompt = Assistant.DefaultPrompt,
            IsDefault = true,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Assistants.Add(assistant);
        return assistant;
    }

    /// <summary>The id the tenant's automatically made default assistant always gets.</summary>
    public static Guid DefaultIdFor(Guid tenantId)
    {
        var prefix = "parley:default-assistant:"u8;
        Span<byte> input = stackalloc byte[prefix.Length + 16];
        prefix.CopyTo(input);
        tenantId.TryWriteBytes(input[prefix.Length..]);
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(input, hash);
        return new Guid(hash[..16]);
    }
}
