using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Campaigns;

/// <summary>One row of an audience: a person and the phones they may be reached on (last name and company
/// when the file has them: a contacts import keeps them, a campaign does not need them).</summary>
public sealed record AudienceRow(int Row, string? FirstName, IReadOnlyList<string> Phones, string? LastName = null, string? Company = null);

/// <summary>A number that was not added, and why: reported back, never sent.</summary>
public sealed record RejectedRecipient(int Row, string Phone, string Reason);

/// <summary>What an import did.</summary>
public sealed record AudienceImport(int Added, int RejectedCount, IReadOnlyList<RejectedRecipient> Rejected);

/// <summary>
/// Adds recipients to a campaign: numbers normalised to E.164, invalid, duplicate and opted-out numbers
/// reported and left out. The phones of one row are one contact (an existing contact when a phone is
/// already known), which is what lets "verified owner" skip a contact's other numbers.
/// </summary>
public sealed class CampaignAudience(ParleyDb db, TimeProvider time)
{
    public const int MaxReported = 1_000;

    public async Task<AudienceImport> AddAsync(Tenant tenant, Campaign campaign, IReadOnlyList<AudienceRow> rows, IReadOnlyList<RejectedRecipient> unreadable, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedRecipient>(unreadable);
        var parsed = new List<(AudienceRow Row, List<string> Numbers)>();
        foreach (var row in rows)
        {
            var numbers = new List<string>();
            foreach (var raw in row.Phones.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                if (PhoneNumberParser.Default.TryNormalize(raw, tenant.DefaultCountry, out var number, out var error))
                {
                    numbers.Add(number.Value);
                }
                else
                {
                    rejected.Add(new RejectedRecipient(row.Row, Shorten(raw), $"Invalid number: {error}"));
                }
            }

            if (numbers.Count == 0 && row.Phones.All(string.IsNullOrWhiteSpace))
            {
                rejected.Add(new RejectedRecipient(row.Row, "", "No phone number in this row."));
            }

            parsed.Add((row, numbers));
        }

        var all = parsed.SelectMany(p => p.Numbers).Distinct().ToList();
        var known = new Dictionary<string, ContactPhone>();
        var already = new HashSet<string>();
        foreach (var chunk in all.Chunk(500))
        {
            foreach (var phone in await db.ContactPhones.Where(p => chunk.Contains(p.Number)).ToListAsync(cancellationToken))
            {
                known[phone.Number] = phone;
            }

            already.UnionWith(await db.CampaignRecipients.Where(r => r.CampaignId == campaign.Id && chunk.Contains(r.Phone)).Select(r => r.Phone).ToListAsync(cancellationToken));
        }

        var owned = known.Keys.ToHashSet(); // numbers that belonged to a contact before this import
        var now = time.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var (row, numbers) in parsed)
        {
            var firstName = row.FirstName?.Trim() is { Length: > 0 } name ? name[..Math.Min(name.Length, 100)] : null;
            Contact? contact = null;
            foreach (var number in numbers)
            {
                if (!already.Add(number))
                {
                    rejected.Add(new RejectedRecipient(row.Row, number, "Duplicate: this number is already in the campaign."));
                    continue;
                }

                if (known.TryGetValue(number, out var phone) && phone.OptedOutAtUtc is not null)
                {
                    rejected.Add(new RejectedRecipient(row.Row, number, "Opted out: this number asked not to be texted."));
                    continue;
                }

                var contactId = phone?.ContactId ?? (contact ??= await ContactForRowAsync(tenant.Id, numbers.Where(owned.Contains).ToList(), known, firstName, now, cancellationToken)).Id;
                if (phone is null)
                {
                    phone = ContactPhone.Create(tenant.Id, contactId, number);
                    db.ContactPhones.Add(phone);
                    known[number] = phone;
                }

                db.CampaignRecipients.Add(new CampaignRecipient
                {
                    TenantId = tenant.Id,
                    CampaignId = campaign.Id,
                    ContactId = phone.ContactId,
                    Phone = number,
                    FirstName = firstName,
                    State = RecipientState.Queued,
                    DueAtUtc = now,
                });
                added++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var ordered = rejected.OrderBy(r => r.Row).ToList();
        return new AudienceImport(added, ordered.Count, ordered.Take(MaxReported).ToList());
    }

    /// <summary>The row's contact: the one that already owns one of its numbers, else a new one.</summary>
    private async Task<Contact> ContactForRowAsync(Guid tenantId, List<string> numbers, Dictionary<string, ContactPhone> known, string? firstName, DateTime now, CancellationToken cancellationToken)
    {
        if (numbers.Select(n => known.GetValueOrDefault(n)).OfType<ContactPhone>().FirstOrDefault() is { } owned)
        {
            return db.Contacts.Local.FirstOrDefault(c => c.Id == owned.ContactId)
                ?? await db.Contacts.FirstAsync(c => c.Id == owned.ContactId, cancellationToken);
        }

        var contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenantId, FirstName = firstName, CreatedAtUtc = now };
        db.Contacts.Add(contact);
        return contact;
    }

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..40];
}

/// <summary>Which columns of an audience CSV hold the first name (-1: none) and the phone numbers, by position;
/// the last name and company likewise (-1: none).</summary>
public sealed record AudienceColumns(int FirstName, IReadOnlyList<int> Phones, int LastName = -1, int Company = -1);

/// <summary>Reads an audience CSV: a header row, a first-name column and any number of phone columns
/// (phone, phone2, mobile, cell…), found by their names unless the columns are given. Quotes and a byte-order
/// mark are handled; an unreadable row is reported.</summary>
public static class AudienceCsv
{
    public sealed record Result(IReadOnlyList<AudienceRow> Rows, IReadOnlyList<RejectedRecipient> Unreadable, string? Error, int ErrorStatus = 400);

    /// <summary>The header, the first rows as they are, the columns the names suggest, and how many rows follow the header.</summary>
    public sealed record Preview(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> FirstRows, AudienceColumns Suggested, int RowCount, string? Error);

    public static async Task<Preview> PreviewAsync(Stream body, int firstRows, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string>>();
        var count = 0;
        using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, Configuration(new HashSet<int>()));
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                return new Preview([], [], new AudienceColumns(-1, []), 0, "The file is empty: a header row is required.");
            }

            while (await csv.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var fields = csv.Parser.Record ?? [];
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                count++;
                if (rows.Count < firstRows)
                {
                    rows.Add(fields);
                }
            }

            return new Preview(header, rows, Suggest(header), count, null);
        }
        catch (CsvHelperException ex)
        {
            return new Preview([], [], new AudienceColumns(-1, []), 0, $"The CSV could not be read near row {ex.Context?.Parser?.Row}: {ex.GetType().Name}.");
        }
    }

    /// <summary>The columns the header's names suggest: name or first name, and every phone-like column.</summary>
    public static AudienceColumns Suggest(IReadOnlyList<string> header)
    {
        var names = header.Select(Normalize).ToList();
        return new AudienceColumns(
            names.FindIndex(n => n is "firstname" or "first" or "givenname" or "name"),
            names.Select((n, i) => (n, i)).Where(x => IsPhoneColumn(x.n)).Select(x => x.i).ToList(),
            names.FindIndex(n => n is "lastname" or "last" or "surname" or "familyname"),
            names.FindIndex(n => n is "company" or "business" or "organization" or "organisation" or "employer"));
    }

    private static CsvConfiguration Configuration(HashSet<int> badRows) => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        MissingFieldFound = null,
        DetectDelimiter = true,
        TrimOptions = TrimOptions.Trim,
        BadDataFound = args => badRows.Add(args.Context.Parser?.Row ?? 0),
    };

    public static async Task<Result> ReadAsync(Stream body, ParleyLimits limits, CancellationToken cancellationToken, AudienceColumns? columns = null)
    {
        var cap = limits.CampaignRecipientsPerUpload;
        var phoneCount = 0;
        var unreadable = new List<RejectedRecipient>();
        var rows = new List<AudienceRow>();
        var badRows = new HashSet<int>();
        using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, Configuration(badRows));
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                return new Result(rows, unreadable, "The file is empty: a header row is required.");
            }

            if (columns is not null && (new[] { columns.FirstName, columns.LastName, columns.Company }.Any(i => i >= header.Length) || columns.Phones.Any(i => i < 0 || i >= header.Length)))
            {
                return new Result(rows, unreadable, $"The file has {header.Length} columns; pick columns among them.");
            }

            var (firstName, suggested, lastName, company) = columns ?? Suggest(header);
            var phones = suggested.Distinct().ToList();
            if (phones.Count == 0)
            {
                return new Result(rows, unreadable, columns is null ? "No phone column: name one 'phone' (or phone2, mobile, cell…)." : "Pick at least one phone column.");
            }

            if (phones.Count > limits.CampaignPhoneColumns)
            {
                return new Result([], [], $"The file has {phones.Count} phone columns; at most {limits.CampaignPhoneColumns} are read per row (Parley:Limits:CampaignPhoneColumns).");
            }

            while (await csv.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = csv.Parser.Row;
                if (rows.Count + unreadable.Count >= cap)
                {
                    return TooMany(cap);
                }

                if (badRows.Remove(row))
                {
                    unreadable.Add(new RejectedRecipient(row, "", "Unreadable row: unbalanced quotes."));
                    continue;
                }

                var fields = csv.Parser.Record ?? [];
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                if (fields.FirstOrDefault(f => Web.TextInputValidation.Problem(f) is not null) is not null)
                {
                    unreadable.Add(new RejectedRecipient(row, "", "Unreadable row: it contains a control character."));
                    continue;
                }

                var rowPhones = phones.Where(i => i < fields.Length).Select(i => fields[i]).ToList();
                phoneCount += rowPhones.Count(p => !string.IsNullOrWhiteSpace(p));
                if (phoneCount > cap)
                {
                    return TooMany(cap);
                }

                string? Field(int i) => i >= 0 && i < fields.Length ? fields[i] : null;
                rows.Add(new AudienceRow(row, Field(firstName), rowPhones, Field(lastName), Field(company)));
            }
        }
        catch (CsvHelperException ex)
        {
            return new Result(rows, unreadable, $"The CSV could not be read near row {ex.Context?.Parser?.Row}: {ex.GetType().Name}.");
        }

        return new Result(rows, unreadable, null);
    }

    private static Result TooMany(int cap) =>
        new([], [], $"At most {cap} recipients (phone numbers) per upload (Parley:Limits:CampaignRecipientsPerUpload); split the file.", 413);

    private static string Normalize(string header) =>
        new(header.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static bool IsPhoneColumn(string name) =>
        name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9') is "phone" or "phonenumber" or "mobile" or "mobilephone"
            or "cell" or "cellphone" or "tel" or "telephone" or "number" or "homephone" or "workphone" or "sms";
}
