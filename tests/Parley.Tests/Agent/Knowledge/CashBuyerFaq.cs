namespace Parley.Tests.Agent.Knowledge;

/// <summary>A cash home buyer's FAQ as a business would type it in, and texts real sellers send, phrased unlike
/// the entries (lowercase, typos, shorthand, several questions run together).</summary>
internal static class CashBuyerFaq
{
    public const string Business = "Acme Home Buyers";

    public sealed record Entry(string Key, string Title, string Text, string[] Questions);

    public static readonly Entry[] Entries =
    [
        new("condition", "Houses in any condition",
            "We buy houses as-is, in any condition. You don't need to make repairs or clean, and you can leave behind anything you don't want.",
            ["Do you buy houses that need work?", "Do I have to fix anything before selling?"]),
        new("closing", "How fast we close",
            "We can close in as little as 7 days, or on the date that suits you. You choose the closing date.",
            ["How quickly can you close?", "How long does the sale take?"]),
        new("fees", "Fees and commissions",
            "There are no commissions or agent fees, and we pay the normal closing costs. The offer we make is what you walk away with.",
            ["Are there any fees?", "Do you charge a commission?"]),
        new("offer", "How we make an offer",
            "Our cash offer is based on the home's location, its condition and recent sales nearby. After a short visit we give you a written offer within 24 hours, with no obligation.",
            ["How do you decide what to pay?", "How much will you offer for my house?"]),
        new("number", "Where we got your number",
            "We reach out to homeowners using public property records. If you'd rather not hear from us, just reply STOP and we won't text again.",
            ["Where did you get my number?", "Why are you texting me?"]),
        new("tenants", "Houses with tenants",
            "Yes, we buy rental properties with tenants still living there. You don't have to evict anyone or wait for a lease to end.",
            ["Will you buy a house with renters in it?", "Do the tenants have to move out first?"]),
    ];

    /// <summary>What sellers text, and which entry answers it.</summary>
    public static readonly (string Text, string Entry)[] Questions =
    [
        ("does the house have to be in good shape", "condition"),
        ("roof leaks and the kitchen is gutted, would u still want it??", "condition"),
        ("its a fixer upper tbh. still interested?", "condition"),
        ("do i need to fix it up first", "condition"),
        ("house needs alot of repairs is that a problem", "condition"),
        ("what if theres junk everywhere, do i have to clean it out", "condition"),
        ("will you take it as is", "condition"),
        ("the basement flooded last yr and never got fixed. you buy places like that?", "condition"),

        ("how soon could we close", "closing"),
        ("how fast can u close", "closing"),
        ("whats the timeline to close", "closing"),
        ("i need to sell quick, like within 2 weeks. doable?", "closing"),
        ("how long does the whole thing take", "closing"),
        ("can i pick the closing date", "closing"),
        ("how quick can you guys buy it", "closing"),
        ("when would i get paid", "closing"),

        ("any fees?", "fees"),
        ("do u charge commission", "fees"),
        ("who pays closing costs", "fees"),
        ("are there hidden fees or realtor commissions", "fees"),
        ("what do you charge me for this", "fees"),
        ("do i pay anything out of pocket", "fees"),
        ("do i have to pay a realtor", "fees"),
        ("is there a catch? what does it cost me", "fees"),

        ("how much would you pay for my house", "offer"),
        ("whats your offer", "offer"),
        ("how do u come up with the price", "offer"),
        ("how much can i get for it", "offer"),
        ("what would u offer for 12 elm st", "offer"),
        ("how do you figure out what its worth", "offer"),
        ("can you give me a number", "offer"),
        ("ballpark price?", "offer"),

        ("how did you get my number", "number"),
        ("where did u get my info", "number"),
        ("who gave you my cell", "number"),
        ("why are u texting me", "number"),
        ("howd you find me", "number"),
        ("how do you have my phone number", "number"),
        ("where'd you get this number from", "number"),
        ("why did i get this text", "number"),

        ("i have renters in there, is that ok", "tenants"),
        ("there are tenants living in it. do they need to leave first", "tenants"),
        ("do you buy rentals with tenants", "tenants"),
        ("my tenant still has 6 months on the lease, is that a problem?", "tenants"),
        ("will u buy it with the renters still there?", "tenants"),
        ("do i have to evict my tenants first", "tenants"),
        ("its a rental property, currently occupied. still buy?", "tenants"),
        ("can the tenants stay when you buy it", "tenants"),
    ];

    /// <summary>Business questions the FAQ does not answer: no fact may be invented for them.</summary>
    public static readonly string[] Unknown =
    [
        "do you do rent to own",
        "do u buy mobile homes",
        "can i rent it back from you after i sell",
        "do you have an office i can visit",
        "do you buy commercial buildings",
        "do you buy farms",
        "do u buy houses in california",
        "are you insured",
        "do you have a bbb rating",
        "do you help with moving",
        "can i buy one of your flips",
        "do you do lease options",
        "do u buy cabins",
        "what bank do you use",
        "do you pay finders fees",
    ];

    /// <summary>Facts that appear in no entry: a reply containing one invented it.</summary>
    public static readonly string[] InventedFacts = ["rent to own", "mobile home", "office", "commercial", "lease back", "yes we do", "we do buy"];
}
