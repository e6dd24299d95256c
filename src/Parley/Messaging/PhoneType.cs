namespace Parley.Messaging;

/// <summary>The kind of line a number is, as libphonenumber classifies its range.</summary>
public enum PhoneType
{
    Unknown,
    FixedLine,
    Mobile,
    /// <summary>NANP and a few other plans cannot tell fixed lines from mobiles by the number.</summary>
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
}
