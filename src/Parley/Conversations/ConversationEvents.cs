using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Accounts;
using Parley.Agent;

namespace Parley.Conversations;

/// <summary>One change a dashboard or API client may want to redraw: <c>message.created</c>,
/// <c>message.status</c>, <c>conversation.created</c> or <c>conversation.updated</c>.</summary>
public sealed record ConversationEvent(string Type, Guid ConversationId, long? MessageId);

/// <summary>The in-process event stream, per tenant. Each subscriber has its own small bounded buffer that
/// drops its oldest events when a slow reader falls behind, so no publisher ever waits on a browser.</summary>
public sealed class ConversationEvents
{
    public const int BufferSize = 256;

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<ConversationEvent>, byte>> subscribers = new();

    public int SubscriberCount(Guid tenantId) => subscribers.TryGetValue(tenantId, out var set) ? set.Count : 0;

    /// <summary>Other instances to tell (PostgreSQL LISTEN/NOTIFY), when there are any.</summary>
    public Action<Guid, ConversationEvent>? Relay { get; set; }

    /// <summary>A change made here: this instance's subscribers, and the others through the relay.</summary>
    public void Publish(Guid tenantId, ConversationEvent change)
    {
        PublishLocal(tenantId, change);
        Relay?.Invoke(tenantId, change);
    }

    /// <summary>A change to show this instance's subscribers only (one relayed from another instance).</summary>
    public void PublishLocal(Guid tenantId, ConversationEvent change)
    {
        if (subscribers.TryGetValue(tenantId, out var set))
        {
            foreach (var channel in set.Keys)
            {
                channel.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>Reads this tenant's events until the token is cancelled.</summary>
    public async IAsyncEnumerable<ConversationEvent> SubscribeAsync(Guid tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ConversationEvent>(new BoundedChannelOptions(BufferSize)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var set = subscribers.GetOrAdd(tenantId, _ => new());
        set.TryAdd(channel, 0);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var change))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            set.TryRemove(channel, out _);
        }
    }
}

/// <summary>Notes which messages and conversations a save adds or changes, and publishes them once the save
/// has succeeded, or, inside an explicit transaction, once it commits, so a dashboard that re-reads on the event
/// sees the change. Message ids are read after the save, when the database has assigned them.</summary>
public sealed class ConversationEventsInterceptor(ConversationEvents events) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly HashSet<string> WatchedConversationFields =
        [nameof(Conversation.AiPaused), nameof(Conversation.Mode), nameof(Conversation.Outcome), nameof(Conversation.SkippedReplies), nameof(Conversation.Guide),
         nameof(ConversationPhone.Turns), nameof(Conversation.AssistantId)];

    private readonly ConditionalWeakTable<DbContext, List<Pending>> pending = new();
    private readonly ConditionalWeakTable<DbContext, List<Pending>> awaitingCommit = new();

    private sealed record Pending(string Type, Guid TenantId, Guid ConversationId, Message? Message);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            awaitingCommit.Remove(context);
        }
    }

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var changes))
        {
            return;
        }

        pending.Remove(context);
        if (context.Database.CurrentTransaction is null)
        {
            Publish(changes);
        }
        else
        {
            awaitingCommit.GetOrCreateValue(context).AddRange(changes);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && awaitingCommit.TryGetValue(context, out var changes))
        {
            awaitingCommit.Remove(context);
            Publish(changes);
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            pending.Remove(context);
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var changes = new List<Pending>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case Message m when entry.State == EntityState.Added:
                    changes.Add(new("message.created", m.TenantId, m.ConversationId, m));
                    break;
                case Message m when entry.State == EntityState.Modified && entry.Property(nameof(Message.Status)).IsModified:
                    changes.Add(new("message.status", m.TenantId, m.ConversationId, m));
                    break;
                case Conversation c when entry.State == EntityState.Added:
                    changes.Add(new("conversation.created", c.TenantId, c.Id, null));
                    break;
                case Conversation c when entry.State == EntityState.Modified && entry.Properties.Any(p => p.IsModified && WatchedConversationFields.Contains(p.Metadata.Name)):
                    changes.Add(new("conversation.updated", c.TenantId, c.Id, null));
                    break;
                case ReplyDraft d when entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted:
                    changes.Add(new("conversation.updated", d.TenantId, d.ConversationId, null));
                    break;
                case ConversationPhone p when entry.State == EntityState.Modified && entry.Properties.Any(x => x.IsModified && WatchedConversationFields.Contains(x.Metadata.Name)):
                    changes.Add(new("conversation.updated", p.TenantId, p.ConversationId, null));
                    break;
            }
        }

        if (changes.Count > 0)
        {
            pending.AddOrUpdate(context, changes);
        }
    }

    private void Publish(List<Pending> changes)
    {
        foreach (var change in changes.Select(c => (c.TenantId, Event: new ConversationEvent(c.Type, c.ConversationId, c.Message?.Id))).Distinct())
        {
            events.Publish(change.TenantId, change.Event);
        }
    }
}
