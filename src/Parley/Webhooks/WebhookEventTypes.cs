namespace Parley.Webhooks;

/// <summary>The event types an endpoint may ask for (the public contract), and <c>*</c> for all.</summary>
public static class WebhookEventTypes
{
    public const string All = "*";
    public const string MessageReceived = "message.received";
    public const string MessageSent = "message.sent";
    public const string MessageDelivered = "message.delivered";
    public const string MessageFailed = "message.failed";
    public const string ConversationOutcome = "conversation.outcome";
    public const string ConversationNeedsAttention = "conversation.needs_attention";
    public const string AppointmentScheduled = "appointment.scheduled";
    public const string ContactOptedOut = "contact.opted_out";
    public const string CampaignCompleted = "campaign.completed";

    /// <summary>Sent only when someone asks for a test from the settings page or the API, whatever the endpoint wants.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> Known =
    [
        MessageReceived, MessageSent, MessageDelivered, MessageFailed, ConversationOutcome,
        ConversationNeedsAttention, AppointmentScheduled, ContactOptedOut, CampaignCompleted,
    ];
}
