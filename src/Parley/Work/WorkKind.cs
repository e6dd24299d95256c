using System.Text.Json;

namespace Parley.Work;

/// <summary>Which work a worker takes first when several items are due.</summary>
public enum WorkPriority
{
    /// <summary>Someone is waiting on it: an inbound text, a turn, a reply, a delivery report.</summary>
    Interactive,

    /// <summary>Sends in bulk (campaigns): taken only when no interactive work is due, so a reply never queues behind them.</summary>
    Bulk,

    /// <summary>A step of answering a text (the inbound text, the turn, the reply's send): claimed as interactive
    /// work, and while one runs no worker loop starts bulk work, so the reply shares the database's writer and the
    /// CPU only with the sends already under way.</summary>
    Reply,
}

/// <summary>A kind of background work as the queue sees it: the name stored on its rows, which picks the handler.</summary>
public abstract class WorkKind(string name, WorkPriority priority)
{
    public string Name { get; } = name;

    public WorkPriority Priority { get; } = priority;

    public override string ToString() => Name;
}

/// <summary>
/// One kind of background work, defined once beside its handler: the name on its rows, its payload, and
/// the serial key its items run under (items sharing a key never run at the same time). Enqueuers and the
/// handler's registration both go through it, so none of them spells a kind or a key by hand.
/// </summary>
/// <param name="name">the kind stored on the row</param>
/// <param name="serialKey">the key for a payload queued for a tenant (null: runs alongside anything)</param>
/// <param name="priority">bulk work waits while interactive work is due</param>
public sealed class WorkKind<TPayload>(string name, Func<TPayload, Guid?, string?> serialKey, WorkPriority priority = WorkPriority.Interactive)
    : WorkKind(name, priority)
{
    public string? SerialKey(TPayload payload, Guid? tenantId) => serialKey(payload, tenantId);

    public string Serialize(TPayload payload) => JsonSerializer.Serialize(payload, WorkQueue.Json);

    public TPayload Read(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return JsonSerializer.Deserialize<TPayload>(item.Payload, WorkQueue.Json)
            ?? throw new InvalidOperationException($"Work item {item.Id} has an empty payload.");
    }
}

public static class WorkKindRegistration
{
    /// <summary>Registers the handler that runs <paramref name="kind"/>'s items, keyed by its name, and the kind
    /// itself, so the queue knows its priority.</summary>
    public static IServiceCollection AddWorkHandler<THandler>(this IServiceCollection services, WorkKind kind)
        where THandler : class, IWorkHandler
    {
        ArgumentNullException.ThrowIfNull(kind);
        services.AddSingleton(kind);
        return services.AddKeyedScoped<IWorkHandler, THandler>(kind.Name);
    }
}
