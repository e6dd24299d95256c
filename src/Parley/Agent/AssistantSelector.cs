using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Agent;

/// <summary>The conversation's own assistant, else the tenant's default, else a new default one.</summary>
public sealed class AssistantSelector(ParleyDb db, TimeProvider time, IServiceScopeFactory scopes)
{
    public async Task<Assistant> ForConversationAsync(Guid tenantId, Guid? assistantId, CancellationToken cancellationToken)
    {
        if (assistantId is { } id && await db.Assistants.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is { } own)
        {
            return own;
        }

        return await DefaultAsync(tenantId, cancellationToken);
    }

    /// <summary>How the agent answers a conversation: its own mode, else its assistant's (the default's when it
    /// has none yet). Reads only: no default assistant is made for this.</summary>
    public async Task<AiMode> ModeForAsync(AiMode? conversationMode, Guid? assistantId, CancellationToken cancellationToken) =>
        conversationMode is { } own ? own : await db.Assistants.AsNoTracking()
            .OrderByDescending(a => a.Id == assistantId).ThenByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAtUtc)
            .Select(a => (AiMode?)a.Mode).FirstOrDefaultAsync(cancellationToken) ?? AiMode.Autopilot;

    public async Task<Assistant> DefaultAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var assistant = db.Assistants.Local.FirstOrDefault(a => a.IsDefault)
            ?? await db.Assistants.OrderByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAtUtc).FirstOrDefaultAsync(cancellationToken);
        if (assistant is not null)
        {
            return assistant;
        }

        // The tenant's first texts (or first conversations started through the API) may arrive together on several
        // workers, requests or instances: each would make a default assistant. It is stored at once, in a unit of
        // work of its own, under one id per tenant: the first insert wins, the others meet the key and read it back.
        // The caller's own unit of work is neither saved early nor failed by the race.
        var id = DefaultIdFor(tenantId);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var own = scope.ServiceProvider.GetRequiredService<ParleyDb>();
            own.Assistants.Add(new Assistant
            {
                Id = id,
                TenantId = tenantId,
                Name = "SMS Assistant",
                SystemPrompt = Assistant.DefaultPrompt,
                IsDefault = true,
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            });
            try
            {
                await own.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
            {
                // Another request made it first.
            }
        }

        return await db.Assistants.IgnoreQueryFilters().FirstAsync(a => a.Id == id, cancellationToken);
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
