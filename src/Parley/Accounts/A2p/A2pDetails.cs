using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Parley.Accounts.A2p;

/// <summary>What Telnyx's 10DLC API needs to register a brand and its campaign, as the tenant enters it.</summary>
public sealed partial record A2pDetails(
    string? EntityType, string? DisplayName, string? CompanyName, string? Ein, string? Phone, string? Email,
    string? Street, string? City, string? State, string? PostalCode, string? Website, string? Vertical,
    string? UseCase, string? Description, string? MessageFlow, string? Sample1, string? Sample2, string? HelpMessage)
{
    public static readonly string[] EntityTypes = ["PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "SOLE_PROPRIETOR"];

    public static readonly string[] Verticals = ["REAL_ESTATE", "HEALTHCARE", "PROFESSIONAL", "RETAIL", "TECHNOLOGY", "INSURANCE", "FINANCIAL", "EDUCATION", "HOSPITALITY", "CONSTRUCTION"];

    public static readonly string[] UseCases = ["CUSTOMER_CARE", "MIXED", "LOW_VOLUME", "MARKETING", "ACCOUNT_NOTIFICATION"];

    /// <summary>Field (camelCase, as the API names it) → what is wrong with it.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Need(string field, string? value, int max, string what)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > max)
            {
                errors[field] = [$"{what} is required (at most {max} characters)."];
            }
        }

        if (!EntityTypes.Contains(EntityType))
        {
            errors["entityType"] = [$"The business type is one of {string.Join(", ", EntityTypes)}."];
        }

        Need("displayName", DisplayName, 100, "The brand name customers know");
        Need("companyName", CompanyName, 100, "The legal company name");
        if (EntityType != "SOLE_PROPRIETOR" && (Ein is null || !EinPattern().IsMatch(Ein.Trim())))
        {
            errors["ein"] = ["The EIN is the 9-digit federal tax id, written 12-3456789."];
        }

        Need("street", Street, 100, "The street address");
        Need("city", City, 100, "The city");
        if (State is null || !StatePattern().IsMatch(State.Trim()))
        {
            errors["state"] = ["The state is its two-letter code, e.g. NY."];
        }

        if (PostalCode is null || !ZipPattern().IsMatch(PostalCode.Trim()))
        {
            errors["postalCode"] = ["The ZIP code is 5 digits (or ZIP+4)."];
        }

        if (Phone is null || !PhonePattern().IsMatch(Phone.Trim()))
        {
            errors["phone"] = ["The business phone is a US number in E.164, e.g. +12125550100."];
        }

        if (Email is null || Email.Length > 254 || !MailAddress.TryCreate(Email.Trim(), out _))
        {
            errors["email"] = ["A support email address is required."];
        }

        if (Website is not (null or "") && !(Uri.TryCreate(Website, UriKind.Absolute, out var site) && site.Scheme is "http" or "https"))
        {
            errors["website"] = ["The website is an http(s) address, e.g. https://maplerealty.example."];
        }

        if (!Verticals.Contains(Vertical))
        {
            errors["vertical"] = [$"The industry is one of {string.Join(", ", Verticals)}."];
        }

        if (!UseCases.Contains(UseCase))
        {
            errors["useCase"] = [$"The use case is one of {string.Join(", ", UseCases)}."];
        }

        Need("description", Description, 4096, "What the texts are for (at least 40 characters)");
        Need("messageFlow", MessageFlow, 2048, "How people opt in to the texts");
        Need("sample1", Sample1, 1024, "A first sample message");
        Need("sample2", Sample2, 1024, "A second sample message");
        if (Description is { Length: < 40 } && !errors.ContainsKey("description"))
        {
            errors["description"] = ["Describe what the texts are for in at least 40 characters: carriers reject vague campaigns."];
        }

        return errors;
    }

    [GeneratedRegex(@"^\d{2}-?\d{7}$")]
    private static partial Regex EinPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex StatePattern();

    [GeneratedRegex(@"^\d{5}(-\d{4})?$")]
    private static partial Regex ZipPattern();

    [GeneratedRegex(@"^\+1\d{10}$")]
    private static partial Regex PhonePattern();
}
