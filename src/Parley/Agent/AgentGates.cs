using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing;
using Parley.Billing.Payments;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Agent;

/// <summary>Why a gate kept the agent silent: a code for the logs, a sentence (which may name the contact's
/// number) for the business's activity log, and the outcome the gate ends the conversation with, if any.</summary>
public sealed record GateClosed(string Code, string Reason, AgentOutcome? Outcome = null);

/// <summary>
/// The gates in front of every AI reply, in DESIGN's order; the first that closes says why the agent stays
/// silent. The account and conversation gates run before an assistant is chosen; the assistant's own
/// (self-pause, turns left) after.
/// </summary>
public sealed class AgentGates(ParleyDb db, Wallet wallet, TimeProvider time, IOptions<PaymentOptions> payments)
{
    /// <summary>The code of the gate closed by a pause on one phone number (also set when an outcome paused it).</summary>
    public const string PhonePaused = "phone-paused";

    public const string WalletEmpty = "Wallet balance is empty: reply skipped. Top up to resume AI replies.";

    /// <summary>Plan, A2P, the AI mode, wallet, pauses, the campaign's AI switch, opt-out. An empty wallet also
    /// counts the skipped reply on the conversation (not when AI replies are off: none was due).</summary>
    public async Task<GateClosed?> FirstClosedAsync(Tenant tenant, Conversation conversation, ConversationPhone phone, AiMode mode, CancellationToken cancellationToken)
    {
        if (await PlanClosedAsync(tenant, cancellationToken) is { } plan)
        {
            conversation.Notice = plan.Reason;
            return plan;
        }

        if (A2pClosed(tenant) is { } a2p)
        {
            return a2p;
        }

        if (mode == AiMode.Off)
        {
            return new("ai-off", conversation.Mode == AiMode.Off ? "AI replies are off for this conversation." : "AI replies are off for this agent.");
        }

        if (await WalletClosedAsync(tenant, cancellationToken) is { } empty)
        {
            CountSkippedForEmptyWallet(conversation);
            return empty;
        }

        if (conversation.AiPaused)
        {
            return new("conversation-paused", "AI is paused for this conversation.");
        }

        if (phone.AiPaused)
        {
            return new(PhonePaused, $"AI is paused for {phone.Number}.");
        }

        if (conversation.CampaignId is { } campaignId
            && await db.Campaigns.AnyAsync(c => c.Id == campaignId && !c.AiEnabled, cancellationToken))
        {
            return new("campaign-ai-off", "The campaign's AI switch is off.");
        }

        var optedOut = await db.ContactPhones.AnyAsync(p => p.Number == phone.Number && p.OptedOutAtUtc != null, cancellationToken);
        return optedOut ? new("opted-out", "The contact opted out.") : null;
    }

    /// <summary>The assistant paused itself after delivery failures, or this phone has used its turns (which
    /// ends the conversation as Max Turns Reached).</summary>
    public GateClosed? FirstClosed(Assistant assistant, ConversationPhone phone)
    {
        if (SelfPaused(assistant) is { } paused)
        {
            return paused;
        }

        return phone.Turns >= assistant.MaxTurns
            ? new("max-turns", $"Used all {assistant.MaxTurns} turns; a person should take over.", AgentOutcome.MaxTurnsReached)
            : null;
    }

    /// <summary>The gates that close for every conversation of the tenant right now (plan, A2P, wallet), in
    /// DESIGN's order, without touching any conversation: what the Diagnostics page shows.</summary>
    public async Task<IReadOnlyList<GateClosed>> AccountClosedAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        GateClosed?[] gates = [await PlanClosedAsync(tenant, cancellationToken), A2pClosed(tenant), await WalletClosedAsync(tenant, cancellationToken)];
        return [.. gates.OfType<GateClosed>()];
    }

    /// <summary>The agent's own gates, before any conversation: its mode is Off, or it paused itself.</summary>
    public IReadOnlyList<GateClosed> AssistantClosed(Assistant assistant)
    {
        ArgumentNullException.ThrowIfNull(assistant);
        GateClosed?[] gates = [assistant.Mode == AiMode.Off ? new("ai-off", "AI replies are off for this agent.") : null, SelfPaused(assistant)];
        return [.. gates.OfType<GateClosed>()];
    }

    private async Task<GateClosed?> PlanClosedAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var account = await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenant.Id, cancellationToken);
        return PlanEntitlement.WhyNoAi(tenant, account, time.GetUtcNow().UtcDateTime, payments.Value.PastDueGrace) is { } noAi ? new("plan", noAi) : null;
    }

    private static GateClosed? A2pClosed(Tenant tenant) =>
        tenant.A2pStatus != A2pStatus.Live ? new("a2p", $"A2P registration is {tenant.A2pStatus}, not Live.") : null;

    private async Task<GateClosed?> WalletClosedAsync(Tenant tenant, CancellationToken cancellationToken) =>
        await wallet.BalanceMicrosAsync(tenant.Id, cancellationToken) <= 0 ? new("wallet-empty", WalletEmpty) : null;

    private GateClosed? SelfPaused(Assistant assistant) =>
        assistant.AutoPausedUntilUtc is { } until && until > time.GetUtcNow().UtcDateTime
            ? new("self-paused", $"The agent paused itself after repeated delivery failures, until {until:yyyy-MM-dd HH:mm} UTC.")
            : null;

    /// <summary>Counts the skipped reply on the conversation (a badge) and leaves a notice for the business.</summary>
    public static void CountSkippedForEmptyWallet(Conversation conversation)
    {
        conversation.SkippedReplies++;
        conversation.Notice = WalletEmpty;
    }
}
