using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Agent;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Messaging.Telnyx;

namespace Parley.Diagnostics;

/// <summary>Reads what Parley already stores about the current tenant (numbers, messages, webhook events, activity,
/// the reply gates) into a <see cref="DiagnosticsView"/>. Read only; every query goes through the tenant filter.</summary>
public sealed class TenantDiagnostics(ParleyDb db, AgentGates gates, IOptions<ParleyOptions> parley, IOptions<TelnyxOptions> telnyx)
{
    public const int RecentCount = 20;

    /// <summary>Telnyx's "authentication failed" code, and the bare HTTP status a keyless answer is stored as.</summary>
    private static readonly string[] KeyRefusedCodes = ["10009", "401"];

    private bool OnTelnyx => parley.Value.Carrier == CarrierKind.Telnyx;

    public async Task<DiagnosticsView> ReadAsync(CancellationToken cancellationToken)
    {
        var tenantId = db.CurrentTenantId ?? throw new InvalidOperationException("Diagnostics need a tenant.");
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == tenantId, cancellationToken);
        return new DiagnosticsView(
            await CarrierAsync(tenant, cancellationToken),
            await NumbersAsync(cancellationToken),
            await WebhooksAsync(cancellationToken),
            await SendErrorsAsync(cancellationToken),
            await ModelAsync(tenant, cancellationToken),
            await GatesAsync(tenant, cancellationToken));
    }

    private async Task<CarrierCheck> CarrierAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var a2pAdvice = tenant.A2pStatus == A2pStatus.Live ? null : A2pAdvice(tenant.A2pStatus);
        if (!OnTelnyx)
        {
            return new CarrierCheck("Sandbox", null, null, tenant.A2pStatus,
                Join("Parley runs on the Sandbox carrier: texts go to the phone simulator, not to real phones. Set Parley__Carrier to Telnyx to text real people.", a2pAdvice));
        }

        var configured = !string.IsNullOrWhiteSpace(telnyx.Value.ApiKey);
        var outbound = db.Messages.Where(m => m.Direction == MessageDirection.Outbound);
        var lastAccepted = await outbound.Where(m => m.CarrierMessageId != null).MaxAsync(m => (long?)m.Id, cancellationToken);
        var lastRefused = await outbound.Where(m => m.ErrorCode != null && KeyRefusedCodes.Contains(m.ErrorCode)).MaxAsync(m => (long?)m.Id, cancellationToken);
        bool? accepted = lastRefused > (lastAccepted ?? 0) ? false : lastAccepted is null ? null : true;
        var keyAdvice = (configured, accepted) switch
        {
            (false, _) => "No Telnyx API key is set: nothing can be sent. Set Parley__Telnyx__ApiKey to a key from the Telnyx portal and restart Parley.",
            (_, false) => "Telnyx refused the API key on your latest send. Make a new key in the Telnyx portal, set Parley__Telnyx__ApiKey and restart Parley.",
            _ => null,
        };
        return new CarrierCheck("Telnyx", configured, accepted, tenant.A2pStatus, Join(keyAdvice, a2pAdvice));
    }

    private static string A2pAdvice(A2pStatus status) => status switch
    {
        A2pStatus.Pending => "A2P registration is pending: the agent replies once carriers approve it (usually a few days).",
        A2pStatus.Rejected => "A2P registration was rejected: open the A2P page to see why and send it again.",
        _ => "A2P registration is not started: the agent replies only once it is Live. Start it on the A2P page.",
    };

    private async Task<NumbersCheck> NumbersAsync(CancellationToken cancellationToken)
    {
        var numbers = await db.PhoneNumbers.AsNoTracking().OrderBy(n => n.CreatedAtUtc).Select(n => n.Number).ToListAsync(cancellationToken);
        if (numbers.Count == 0)
        {
            return new NumbersCheck([], "This business has no phone number, so no text can reach the agent. Ask your Parley operator to add one.");
        }

        var lastTexts = await db.Messages.Where(m => m.Direction == MessageDirection.Inbound)
            .GroupBy(m => m.TenantNumber).Select(g => new { Number = g.Key, LastId = g.Max(m => m.Id) })
            .ToListAsync(cancellationToken);
        var lastIds = lastTexts.Select(t => t.LastId).ToList();
        var newest = await db.Messages.Where(m => lastIds.Contains(m.Id))
            .Select(m => new { m.TenantNumber, m.CarrierMessageId, m.CreatedAtUtc }).ToListAsync(cancellationToken);

        // An inbound text's webhook is stored under its carrier message id; looking it up uses the dedupe index.
        var keys = newest.Where(m => m.CarrierMessageId != null).Select(m => $"{TelnyxWebhook.MessageReceived}:{m.CarrierMessageId}").ToList();
        var webhooks = await db.WebhookEvents.Where(e => e.Provider == PendingWebhook.Provider && keys.Contains(e.DedupeKey))
            .Select(e => new { e.DedupeKey, e.ReceivedAtUtc }).ToDictionaryAsync(e => e.DedupeKey, e => e.ReceivedAtUtc, cancellationToken);

        var checks = numbers.Select(number =>
        {
            var last = newest.FirstOrDefault(m => m.TenantNumber == number);
            DateTime? webhookAt = last?.CarrierMessageId is { } id && webhooks.TryGetValue($"{TelnyxWebhook.MessageReceived}:{id}", out var at) ? at : null;
            var advice = (last, webhookAt, OnTelnyx) switch
            {
                (null, _, true) => $"No text to this number has reached Parley. Text it from your own phone; if it does not appear in the inbox, check that the number's messaging profile in the Telnyx portal sends webhooks to /webhooks/telnyx on this server.",
                (null, _, false) => "No text to this number yet. Send one from the phone simulator.",
                _ => null,
            };
            return new NumberCheck(number, webhookAt, last?.CreatedAtUtc, advice);
        }).ToList();
        return new NumbersCheck(checks, null);
    }

    private async Task<WebhooksCheck> WebhooksAsync(CancellationToken cancellationToken)
    {
        // Webhook events carry no tenant: they are the tenant's when the message they are about is (the join is
        // through the tenant-filtered messages).
        var rows = await db.WebhookEvents.AsNoTracking()
            .Join(db.Messages, e => e.MessageId, m => m.CarrierMessageId, (e, m) => new { e.Id, e.EventType, e.ReceivedAtUtc, e.Body, m.TenantNumber })
            .OrderByDescending(e => e.Id).Take(RecentCount).ToListAsync(cancellationToken);
        var recent = rows.Select(r => new WebhookEventCheck(r.EventType, r.TenantNumber, r.ReceivedAtUtc, "accepted", Describe(r.EventType, r.Body))).ToList();
        const string notListed = "Parley stores only the webhooks it accepts. Duplicates (a carrier's retry, answered \"duplicate\"), refused ones "
            + "(a wrong signature or a malformed body) and texts to a number no business owns are answered without being stored, "
            + "so they cannot be listed here; they appear only in the server's log.";
        var advice = recent.Count > 0 ? null
            : OnTelnyx ? "No webhook from Telnyx about your texts is stored. If people are texting your numbers, check the webhook URL on the messaging profile in the Telnyx portal and that Parley__Telnyx__PublicKey is the portal's public key (a wrong key refuses every webhook)."
            : "On the Sandbox carrier, texts from the phone simulator do not arrive as webhooks, so none are listed.";
        return new WebhooksCheck(recent, notListed, advice);
    }

    /// <summary>What the stored body says: an inbound text, or the delivery status the carrier reported.</summary>
    private static string Describe(string eventType, string body)
    {
        var parsed = TelnyxWebhook.Parse(Encoding.UTF8.GetBytes(body)).Event;
        return parsed switch
        {
            { Inbound: not null } => "A text to this number.",
            { Delivery: { Status: MessageStatus.Failed } d } => $"Delivery failed{(d.ErrorCode is { } c ? $" ({c})" : "")}: {CarrierErrorCodes.Explain(d.ErrorCode) ?? d.ErrorDetail ?? "no reason given."}",
            { Delivery: { } d } => $"Delivery status: {d.Status}.",
            _ => eventType,
        };
    }

    private async Task<SendErrorsCheck> SendErrorsAsync(CancellationToken cancellationToken)
    {
        var failed = await db.Messages.AsNoTracking().Where(m => m.Direction == MessageDirection.Outbound && m.Status == MessageStatus.Failed)
            .OrderByDescending(m => m.Id).Take(RecentCount).ToListAsync(cancellationToken);
        var recent = failed.Select(m => new SendErrorCheck(m.Id, m.ConversationId, m.TenantNumber, m.ContactNumber, m.ErrorCode, m.Error ?? "Failed.",
            CarrierErrorCodes.Explain(m.ErrorCode) ?? "Parley has no plain-words note for this code; the carrier's own words are beside it.", m.StatusAtUtc)).ToList();
        var advice = recent.Count == 0 ? null : "Texts below were not delivered. Each line says why and what to do; the conversation shows the failed text.";
        return new SendErrorsCheck(recent, advice);
    }

    private async Task<ModelCheck> ModelAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var errors = await db.Activity.AsNoTracking().Where(a => a.Kind == ActivityKind.ModelError)
            .OrderByDescending(a => a.Id).Take(5).Select(a => new ModelErrorCheck(a.ConversationId, a.Detail, a.CreatedAtUtc)).ToListAsync(cancellationToken);
        var advice = tenant.ModelFailingSinceUtc is null ? null
            : "The AI model is failing, so texts get no AI reply; they wait in Needs Attention. If it lasts, check the AI provider's status and Parley's AI key and model settings.";
        return new ModelCheck(tenant.ModelFailingSinceUtc, tenant.ModelFailureReason, errors, advice);
    }

    private async Task<GatesCheck> GatesAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var closed = (await gates.AccountClosedAsync(tenant, cancellationToken)).Select(g => new GateCheck(g.Code, g.Reason, ActionFor(g.Code))).ToList();
        var assistants = await db.Assistants.AsNoTracking().OrderBy(a => a.CreatedAtUtc).ToListAsync(cancellationToken);
        closed.AddRange(assistants.SelectMany(a => gates.AssistantClosed(a).Select(g => new GateCheck(g.Code, g.Reason, ActionFor(g.Code), a.Name))));
        var paused = await db.Conversations.CountAsync(c => c.AiPaused, cancellationToken);
        if (paused > 0)
        {
            closed.Add(new GateCheck("conversation-paused", $"AI is paused on {paused} conversation{(paused == 1 ? "" : "s")}.", ActionFor("conversation-paused")));
        }

        var advice = closed.Count == 0 ? null : "Each gate below stops AI replies until it is cleared.";
        return new GatesCheck(closed, advice);
    }

    private static string ActionFor(string code) => code switch
    {
        "plan" => "Choose a plan with AI replies on the Billing page.",
        "a2p" => "Finish A2P registration on the A2P page.",
        "wallet-empty" => "Top up the wallet on the Billing page.",
        "ai-off" => "Set the agent to Autopilot or Suggest on the Agents page.",
        "self-paused" => "It resumes by itself; see Send errors below for the failures that paused it.",
        "conversation-paused" => "Resume the AI on each conversation you want it to answer.",
        _ => "See the reason.",
    };

    private static string? Join(params string?[] parts) =>
        parts.Where(p => p is not null) is var present && present.Any() ? string.Join(" ", present) : null;
}
