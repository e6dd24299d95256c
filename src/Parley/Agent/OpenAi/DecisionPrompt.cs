using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Parley.Agent.OpenAi;

/// <summary>Turns an <see cref="AgentContext"/> into chat messages: one system message, then the history.</summary>
internal static class DecisionPrompt
{
    public const string StaffPrefix = "[staff] ";

    /// <summary>The passages go in with their ids, and the rule that nothing else about the business may be said.</summary>
    private static void AppendKnowledge(StringBuilder text, AgentContext context)
    {
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"What {context.BusinessName} has written for you to answer with (each passage has an id):");
        if (context.Knowledge.Count == 0)
        {
            text.AppendLine("- (no passage matches the latest text)");
        }

        foreach (var passage in context.Knowledge)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- id {passage.Id:D}, \"{OneLine(passage.Title)}\": {OneLine(passage.Text)}");
        }

        text.AppendLine("State no fact about the business (prices, offers, timelines, fees, process, places, people, where a number came from) unless a passage above says it; use the passage's own wording and list its id in sources.")
            .AppendLine("If they ask something the passages do not answer, do not guess: say you will have the team confirm, and set unansweredQuestion.");
    }

    /// <summary>With a calendar connected, the only times the model may offer or agree; Parley books them itself.</summary>
    private static void AppendCalendar(StringBuilder text, AgentContext context)
    {
        if (context.CalendarTimes.Count == 0)
        {
            return;
        }

        text.AppendLine()
            .AppendLine("Free times on the business's calendar (offer these, numbered in this order, as written; never offer or agree another time):");
        for (var i = 0; i < context.CalendarTimes.Count; i++)
        {
            var slot = context.CalendarTimes[i];
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}) {slot.Label} (callbackAt {slot.TenantLocal:yyyy-MM-ddTHH:mm:ss})"));
        }
    }

    /// <summary>A follow-up is not an answer: the contact went quiet after the agent's last text.</summary>
    private static void AppendFollowUp(StringBuilder text, AgentContext context)
    {
        if (context.FollowUp is not { } ask)
        {
            return;
        }

        text.AppendLine()
            .AppendLine(ask.Requested
                ? "This is a follow-up: the contact asked to be texted again around now, and nobody has texted since your last message below."
                : string.Create(CultureInfo.InvariantCulture, $"This is follow-up {ask.Number} of {ask.Of}: the contact has not answered your last message below."))
            .AppendLine("Write one short follow-up text that refers to what you were talking about (the property, the question, the time they mentioned), gives them an easy reason to answer, and does not repeat your last message. No pressure, no guilt, no invented offers or deadlines.")
            .AppendLine(ask.Last
                ? "It is the last follow-up: say so kindly, and that they can text back whenever they like."
                : "Do not say it is the last text.")
            .AppendLine("The outcome is Ongoing; callbackAt is null.");
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    public static List<ChatMessage> Messages(AgentContext context)
    {
        var messages = new List<ChatMessage>(context.History.Count + 1) { new ChatMessage(ChatRole.System, SystemMessage(context)) };
        foreach (var line in context.History)
        {
            messages.Add(line.From switch
            {
                Speaker.Contact => new ChatMessage(ChatRole.User, line.Text),
                Speaker.Agent => new ChatMessage(ChatRole.Assistant, line.Text),
                Speaker.Human => new ChatMessage(ChatRole.Assistant, StaffPrefix + line.Text),
                _ => throw new ArgumentOutOfRangeException(nameof(context), line.From, "Unknown speaker."),
            });
        }

        return messages;
    }

    public static string SystemMessage(AgentContext context)
    {
        var business = context.BusinessName;
        var text = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(context.SystemPrompt))
        {
            text.AppendLine(context.SystemPrompt.Trim()).AppendLine();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"You are texting by SMS on behalf of {business}. If someone sincerely asks whether you are a person, say you are {business}'s automated assistant.");

        if (!string.IsNullOrWhiteSpace(context.Guide))
        {
            text.AppendLine()
                .AppendLine("Guidance from the staff for this conversation (follow it):")
                .AppendLine(context.Guide.Trim());
        }

        AppendKnowledge(text, context);

        text.AppendLine().AppendLine("What we know about the contact:");
        if (!string.IsNullOrWhiteSpace(context.ContactFirstName))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Their first name is {context.ContactFirstName}. Use it.");
        }
        else
        {
            text.AppendLine("- We do not know their first name yet. If it is still unknown after their first message, ask for it before answering their question.");
        }

        if (!string.IsNullOrWhiteSpace(context.ClientFirstName))
        {
            var client = context.ClientFirstName;
            text.AppendLine(context.IdentityConfirmed
                ? $"- They are our client {client}; their identity is confirmed."
                : $"- This number belongs to our client {client} in our records, but we have not confirmed who is texting. Within your first two messages ask to confirm their identity (\"is this {client}?\"). Share nothing from the client record until they confirm. If they say they are not {client}, the outcome is WrongPerson.");
        }

        if (context.ContactNotes.Count > 0)
        {
            text.AppendLine("- Notes about them from other channels:");
            foreach (var note in context.ContactNotes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {note.Trim()}");
            }
        }

        var now = context.LocalNow;
        text.AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Now it is {now:dddd}, {now:yyyy-MM-dd}, {now:HH:mm} local time ({context.TimeZoneId}). Work out days and times such as \"tomorrow at 3\" from this."));

        AppendCalendar(text, context);
        AppendFollowUp(text, context);

        text.AppendLine()
            .AppendLine("Rules for the reply:")
            .AppendLine(CultureInfo.InvariantCulture, $"- Plain text for SMS, at most {context.ReplyLengthLimit.ToString(CultureInfo.InvariantCulture)} characters. Short and friendly.")
            .AppendLine("- No markdown: no asterisks, headings, bullet lists, tables or [links](...).")
            .AppendLine("- No emoji unless the contact has used them.")
            .AppendLine("- Straight quotes and apostrophes (' and \"), a plain hyphen instead of dashes.")
            .AppendLine("- If the person's name is unknown after their first message, ask for it before answering.")
            .AppendLine("- Move the conversation toward booking a callback: ask for, or propose, a specific day and time.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Messages that start with \"{StaffPrefix.Trim()}\" were written by a person at {business}; stay consistent with them and never write that prefix yourself.");

        text.AppendLine()
            .AppendLine("Answer with one JSON object and nothing else: {\"reply\": string or null, \"outcome\": string, \"contactFirstName\": string or null, \"callbackAt\": string or null, \"sources\": [string], \"unansweredQuestion\": string or null}.")
            .AppendLine("- reply: the SMS to send, or null to send nothing.")
            .AppendLine("- contactFirstName: the person's first name if they told it or confirmed it in this conversation, else null.")
            .AppendLine("- callbackAt: only with AppointmentScheduled, the agreed local date-time as yyyy-MM-ddTHH:mm:ss without an offset (e.g. 2026-11-24T15:00:00); otherwise null.")
            .AppendLine("- sources: the ids of the knowledge passages your reply states facts from (only ids listed above); [] when it uses none.")
            .AppendLine("- unansweredQuestion: when they asked something about the business that no passage answers, their question in a few words; else null.")
            .AppendLine("- outcome, exactly one of:")
            .AppendLine("  - Ongoing: the conversation goes on; reply with your next message.")
            .AppendLine("  - AppointmentScheduled: they agreed a specific callback day and time. Set callbackAt to it and reply with a short confirmation. A vague time (\"sometime next week\") is still Ongoing: ask for a specific time.")
            .AppendLine("  - NotInterested: they are not interested or want no more texts. reply must be null.")
            .AppendLine("  - NeedsHuman: they ask for a person or complain. Reply with a short closing message saying someone will follow up. A question the passages do not answer is not a reason for NeedsHuman: say the team will confirm and stay Ongoing.")
            .AppendLine("  - WrongPerson: wrong number, or not the person we are looking for. Reply with a brief apology.");

        return text.ToString();
    }
}
