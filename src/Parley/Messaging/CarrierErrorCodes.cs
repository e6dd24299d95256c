namespace Parley.Messaging;

/// <summary>What a carrier's error code means for the business, in plain words: the one place Parley reads
/// Telnyx's codes (and its own send-failure codes) for meaning.</summary>
public static class CarrierErrorCodes
{
    /// <summary>Failures that belong to one number (landline or not routable, invalid destination, opted out
    /// at the carrier): the number is marked undeliverable and the sender's score is untouched.</summary>
    private static readonly Dictionary<string, string> NumberCodes = new(StringComparer.Ordinal)
    {
        ["40001"] = "Not routable (landline or a number that cannot receive texts)",
        ["40012"] = "Invalid destination number",
        ["40300"] = "Opted out at the carrier (STOP)",
    };

    /// <summary>Failures that say carriers distrust the sender (spam blocks, unregistered or blocked traffic,
    /// an invalid source): these weigh heavily toward the agent pausing itself.</summary>
    private static readonly HashSet<string> SenderCodes = ["40002", "40003", "40008", "40010", "40013", "40015"];

    private static readonly Dictionary<string, string> Explanations = new(StringComparer.Ordinal)
    {
        ["10009"] = "Telnyx did not accept Parley's API key. Check Parley__Telnyx__ApiKey against the key in the Telnyx portal.",
        ["10011"] = "Telnyx asked Parley to slow down; the text is retried on its own.",
        ["40001"] = "The number cannot receive texts (often a landline). Call the person or ask for a mobile number.",
        ["40002"] = "A carrier's spam filter blocked the text. Send fewer texts at once and avoid link shorteners and all-caps.",
        ["40003"] = "A carrier blocked your sending number as spam. Contact Telnyx support, or text from another number.",
        ["40004"] = "The person's carrier refused the text without saying why. Try again later.",
        ["40005"] = "The text expired before the carrier could deliver it.",
        ["40006"] = "The person's carrier was unavailable. Try again later.",
        ["40008"] = "The carrier would not deliver the text. Check the number is right.",
        ["40009"] = "The carrier refused the text's content.",
        ["40010"] = "The sending number is not registered for 10DLC. Finish A2P registration (Settings → A2P) so carriers let its texts through.",
        ["40011"] = "Too many texts from this number at once; the text is retried on its own.",
        ["40012"] = "The number is not a valid phone number. Fix the contact's number.",
        ["40013"] = "Your sending number is not set up to text. Check it is on a messaging profile in the Telnyx portal.",
        ["40300"] = "The person texted STOP to this number. They must text START before you can text them again.",
        ["OPTED_OUT"] = "Not sent: the person opted out of your texts.",
        ["timeout"] = "Telnyx did not answer in time, even after retries.",
        ["network"] = "Parley could not reach Telnyx, even after retries.",
        ["circuit-open"] = "Telnyx kept failing, so Parley paused sending for a moment.",
    };

    /// <summary>The reason a failure belongs to the number (it is marked undeliverable), or null when it does not.</summary>
    public static string? NumberReason(string? code) => code is null ? null : NumberCodes.GetValueOrDefault(code);

    /// <summary>Whether the code says carriers distrust the sender rather than one recipient.</summary>
    public static bool IsSenderDistrust(string? code) => code is not null && SenderCodes.Contains(code);

    /// <summary>The code in plain words, with what to do; null for a code Parley has no explanation for.</summary>
    public static string? Explain(string? code) => code is null ? null : Explanations.GetValueOrDefault(code);
}
