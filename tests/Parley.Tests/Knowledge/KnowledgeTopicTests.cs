using Parley.Knowledge;
using Xunit;

namespace Parley.Tests.Knowledge;

/// <summary>Whether an entry speaks of what a question names: the check that keeps "do u buy condos" from being
/// answered "We buy houses as-is", however close the two are in meaning.</summary>
public sealed class KnowledgeTopicTests
{
    private const string AsIs = "We buy houses as-is, in any condition. You don't need to make repairs or clean.";
    private const string Tenants = "Yes, we buy rental properties with tenants still living there.";
    private const string Offer = "Our cash offer is based on the home's location. After a short visit we give you a written offer, based on recent sales nearby.";
    private const string Fees = "There are no commissions or agent fees, and we pay the normal closing costs.";
    private const string Who = "We are a local family-owned company that buys houses for cash.";
    private const string Number = "We reach out to homeowners using public property records. Why are you texting me?";

    [Theory]
    [InlineData("do u buy condos", AsIs, false)]
    [InlineData("do you buy vacant land", AsIs, false)]
    [InlineData("do u buy houses in florida", AsIs, false)]
    [InlineData("do you buy houses that need repairs", AsIs, true)]
    [InlineData("do u buy fixer uppers", AsIs, true)]
    [InlineData("would u buy it as is", AsIs, true)]
    [InlineData("do you buy commercial property", Tenants, false)]
    [InlineData("do you buy rentals with tenants", Tenants, true)]
    [InlineData("can you buy a tenant occupied house", Tenants, true)]
    [InlineData("do you do short sales", Offer, false)]
    [InlineData("what would u pay for my house on elm st", Offer, true)]
    [InlineData("do you pay closing costs", Fees, true)]
    [InlineData("do you pay referral fees", Fees, false)]
    [InlineData("are you local", Who, true)]
    [InlineData("are you licensed", Who, false)]
    [InlineData("where is your office", Number, false)]
    [InlineData("why are you contacting me", Number, true)]
    [InlineData("how fast can you close", AsIs, true)]
    public void A_question_names_only_what_an_entry_speaks_of(string question, string entry, bool covered)
    {
        var words = KnowledgeWords.Split(entry);
        var stems = words.Select(QuestionNormalizer.Stem).ToHashSet(StringComparer.Ordinal);
        var pairs = KnowledgeTopic.Pairs(words).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(covered, KnowledgeTopic.Covers(QuestionNormalizer.Normalize(question, null).Topic, stems, pairs));
    }

    [Theory]
    [InlineData("can i rent it back after i sell", true)]
    [InlineData("do you have any houses for rent", true)]
    [InlineData("i wanna buy a house, what do u have", true)]
    [InlineData("do you do rent to own", true)]
    [InlineData("do you also sell houses", true)]
    [InlineData("i rent it out, would you still want it", false)]
    [InlineData("can we close in 30 days", false)]
    [InlineData("can i sell it without fixing anything", false)]
    public void A_texter_who_wants_to_buy_or_rent_from_us_is_told_apart_from_a_seller(string question, bool buyer) =>
        Assert.Equal(buyer, QuestionNormalizer.Normalize(question, null).AsksToBuy);
}
