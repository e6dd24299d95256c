using Parley.Accounts;

namespace Parley.Diagnostics;

/// <summary>"My agent is not replying", answered in one place: each section carries what is wrong and what to
/// do in <c>Advice</c> (null when nothing is).</summary>
public sealed record DiagnosticsView(
    CarrierCheck Carrier,
    NumbersCheck Numbers,
    WebhooksCheck Webhooks,
    SendErrorsCheck SendErrors,
    ModelCheck Model,
    GatesCheck Gates);

/// <summary>The carrier; <c>ApiKeyConfigured</c> is null where none is needed (Sandbox), <c>ApiKeyAccepted</c>
/// null until a send has told. The key itself is never shown.</summary>
public sealed record CarrierCheck(string Name, bool? ApiKeyConfigured, bool? ApiKeyAccepted, A2pStatus A2pStatus, string? Advice);

/// <summary>Each of the tenant's numbers: the last carrier webhook for a text to it, and the last text it received.</summary>
public sealed record NumberCheck(string Number, DateTime? LastWebhookAt, DateTime? LastTextAt, string? Advice);

public sealed record NumbersCheck(IReadOnlyList<NumberCheck> Numbers, string? Advice);

/// <summary>A stored webhook event about one of the tenant's texts. Only accepted events are stored.</summary>
public sealed record WebhookEventCheck(string EventType, string Number, DateTime ReceivedAt, string Result, string Detail);

/// <summary><c>NotListed</c> says which results Parley answers without storing, so never appear here.</summary>
public sealed record WebhooksCheck(IReadOnlyList<WebhookEventCheck> Recent, string NotListed, string? Advice);

public sealed record SendErrorCheck(long MessageId, Guid ConversationId, string From, string To, string? Code, string Error, string Explanation, DateTime At);

public sealed record SendErrorsCheck(IReadOnlyList<SendErrorCheck> Recent, string? Advice);

public sealed record ModelErrorCheck(Guid? ConversationId, string Detail, DateTime At);

public sealed record ModelCheck(DateTime? FailingSince, string? Reason, IReadOnlyList<ModelErrorCheck> RecentErrors, string? Advice);

/// <summary>A gate that stops replies now: <c>Agent</c> names the agent when the gate is that agent's own.</summary>
public sealed record GateCheck(string Code, string Reason, string Action, string? Agent = null);

public sealed record GatesCheck(IReadOnlyList<GateCheck> Closed, string? Advice);
