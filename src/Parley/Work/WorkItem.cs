namespace Parley.Work;

public enum WorkStatus
{
    Pending,
    Running,
    Done,
    Failed,
}

/// <summary>One durable unit of background work. The row is the truth; memory only wakes the workers.</summary>
public sealed class WorkItem
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public Guid? TenantId { get; set; }

    /// <summary>Items sharing a key never run at the same time (one conversation's work is serialised).</summary>
    public string? SerialKey { get; set; }

    public required string Payload { get; set; }
    public WorkStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime DueAtUtc { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntilUtc { get; set; }
    public string? LastError { get; set; }

    /// <summary>The item waits because the service its handler calls asked to slow down, not because it failed;
    /// others hold back their own new work while it does (campaigns, while the carrier pushes back).</summary>
    public bool BackPressure { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }

    /// <summary>W3C <c>traceparent</c> of the activity that queued the item; its run is a child of it.</summary>
    public string? TraceParent { get; set; }
}
