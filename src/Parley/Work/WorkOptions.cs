namespace Parley.Work;

/// <summary>Bound from <c>Parley:Work</c>.</summary>
public sealed class WorkOptions
{
    public const string Section = "Parley:Work";

    /// <summary>Items run at once by this instance; one conversation's items never run in parallel.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a claimed item stays reserved for its worker before another may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public int MaxAttempts { get; set; } = 10;

    /// <summary>Upper bound on how long an idle worker sleeps before looking again.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long finished items are kept before they are deleted.</summary>
    public TimeSpan KeepDone { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan KeepFailed { get; set; } = TimeSpan.FromDays(30);
}
