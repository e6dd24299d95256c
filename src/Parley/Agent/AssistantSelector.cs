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

        assistant = new Assistant
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Name = "SMS Assistant",
            SystemPrompt = Assistant.DefaultPrompt,
            IsDefault = true,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Assistants.Add(assistant);
        return assistant;
    }
}
