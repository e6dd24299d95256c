namespace Parley.Tests.Knowledge;

/// <summary>A cash home buyer's FAQ as the business would type it, and what sellers really text about each entry:
/// lowercase, shorthand, typos, rarely the FAQ's own words.</summary>
public static class CashBuyerFaq
{
    public sealed record Entry(string Key, string Title, string Text, string[] Questions, string[] Texts);

    public static readonly Entry[] Entries =
    [
        new("who", "Who we are",
            "We are Maple Key Home Buyers, a local family-owned company that buys houses for cash across the Greater Toronto Area. We are investors, not realtors, and we buy directly from owners.",
            ["Who is this?", "What company is this?"],
            ["who dis", "who is this??", "who r u", "wat company is this", "whos texting me", "who am i talking to", "who do u work for",
             "r u a realtor or what", "what business r u with", "sorry who's this", "is this some kinda investor", "who are you guys",
             "r u local"]),
        new("number", "How we got your number",
            "We found your contact details in public property records, which list the owner of each home. If you would rather not hear from us, reply STOP.",
            ["Where did you get my number?", "How did you get my contact information?"],
            ["how did u get my number", "where u get my #", "who gave u my number", "how do u have my cell", "where did u find my info",
             "how'd you get this number", "why do you have my phone number", "wher did u get my contact", "how did u find me", "how do u know my name and address"]),
        new("repairs", "Houses that need repairs",
            "Yes. We buy houses in any condition, including ones that need major repairs, have fire or water damage, or need a new roof. You do not have to fix anything first.",
            ["Do you buy houses that need repairs?", "Do I need to fix anything before selling?"],
            ["my house needs alot of work would u still buy it", "do u buy fixer uppers", "the roof leaks and the basement floods still interested?",
             "house is in rough shape", "do i gotta fix anything first", "its a mess needs new kitchen n bathroom", "would u buy it as is",
             "do u take homes with damage", "there was a fire, do you still buy", "do you buy houses that need repiars", "foundation is cracked is that a problem"]),
        new("close", "How fast we close",
            "We can close in as little as 7 days, or on any date that suits you. We pay cash, so there is no waiting for bank financing.",
            ["How fast can you close?", "How long does it take to sell?"],
            ["how quick can u close", "how soon can u buy", "how long does the whole thing take", "can we be done by end of month",
             "i need to sell fast", "how many days to close", "can u close in a week", "whats the timeline", "how fast do u pay", "wen can i get the money"]),
        new("fees", "Fees and commissions",
            "There are no fees or commissions. We pay all the usual closing costs, and the price we offer is the amount you receive.",
            ["Do you charge fees?", "Are there any commissions?"],
            ["do u charge anything", "any hidden costs?", "wat r ur fees", "is there a comission", "do i have to pay u anything",
             "who pays closing costs", "how much do u take", "any realtor fees?", "is it free to sell to you", "do i pay for the lawyer"]),
        new("fair", "Is the offer fair",
            "Our offer is based on recent sales of similar homes nearby, minus the cost of repairs. We show you how we reached the number, and you are free to compare it with other offers; there is no obligation.",
            ["Is your offer fair?", "How do you decide the price?"],
            ["is ur offer fair", "r u gonna lowball me", "how do u come up w the price", "will i get what its worth", "how do u figure out how much to offer",
             "why would i take less than market value", "is it a good price", "how much would you pay for my house", "how do you calculate ur offer"]),
        new("cleanout", "Cleaning out the house",
            "No need to clean or empty the house. Take what you want and leave the rest; we remove everything left behind at no charge.",
            ["Do I have to clean out the house?", "What about furniture I leave behind?"],
            ["do i need to empty the house", "can i leave stuff behind", "do i have to clean before", "theres alot of junk in the garage",
             "what do i do with all the furniture", "do i have to move everything out", "can i leave my old couch", "the attic is full of my moms things"]),
        new("areas", "Areas we buy in",
            "We buy homes across Toronto, Mississauga, Brampton, Vaughan, Markham, Oakville and Hamilton.",
            ["What areas do you buy in?", "Do you buy in my city?"],
            ["what areas do u buy in", "do u buy in hamilton", "where do u buy houses", "do you cover brampton", "are you in my area",
             "which cities", "do u work in oakville", "my place is in mississauga is that ok"]),
    ];

    /// <summary>Texts the FAQ says nothing about: a passage offered for them would be a guess.</summary>
    public static readonly string[] OffTopic =
    [
        "whats the weather", "do u sell cars", "can you fix my phone", "whats ur favorite pizza", "can u recommend a good dentist",
        "who won the game last night", "do u do car insurance", "can u help me with my taxes", "what time is it in tokyo",
        "wanna grab a beer", "can you send me a recipe for lasagna", "my phone screen is cracked",
    ];
}
