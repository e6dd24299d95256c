using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Conversations;

/// <summary>A client record's fields once validated: names trimmed, numbers normalised to E.164 and distinct.</summary>
public sealed record ContactFields(string FirstName, string? LastName, string? Company, string? TimeZone, IReadOnlyList<string> Numbers);

/// <summary>What saving a client record did: the contact, or why it was refused (a status and a message per field).</summary>
public sealed record ContactSave(Contact? Contact, bool Created, int Status = 200, Dictionary<string, string[]>? Errors = null)
{
    public static ContactSave Refused(int status, string field, string error) => new(null, false, status, new() { [field] = [error] });

    /// <summary>The first reason it was refused, for a problem's detail or a rejected row.</summary>
    public string? Reason => Errors?.Values.SelectMany(e => e).FirstOrDefault();
}

/// <summary>
/// Creates and edits client records, the same way for the API, the dashboard and a CSV import. A number that
/// texted before becomes the new client's (its conversation keeps its history); a number on another client
/// record is refused; a number that opted out cannot be removed, so its opt-out is never lost.
/// </summary>
public static class ContactRecords
{
    public const int MaxPhones = 10;

    public static (ContactFields? Fields, Dictionary<string, string[]> Errors) Validate(ContactsApi.CreateContact body, string defaultCountry)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.FirstName) || body.FirstName.Trim().Length > 100)
        {
            errors["firstName"] = ["A first name of 1 to 100 characters is required."];
        }

        if (body.LastName is { Length: > 100 } || body.Company is { Length: > 200 })
        {
            errors["lastName"] = ["Last name at most 100 characters, company at most 200."];
        }

        foreach (var (field, text) in new[] { ("firstName", body.FirstName), ("lastName", body.LastName), ("company", body.Company) })
        {
            if (text is not null && Web.TextInputValidation.Problem(text) is { } problem)
            {
                errors[field] = [problem];
            }
        }

        var zone = string.IsNullOrWhiteSpace(body.TimeZone) ? null : body.TimeZone.Trim();
        if (zone is not null && !TimeZones.IsKnown(zone))
        {
            errors["timeZone"] = [$"'{Shorten(zone)}' is not an IANA time zone such as America/Chicago."];
        }

        var numbers = new List<string>();
        var phones = body.Phones?.Where(p => !string.IsNullOrWhiteSpace(p)).ToList() ?? [];
        if (phones is not { Count: > 0 and <= MaxPhones })
        {
            errors["phones"] = [$"Between 1 and {MaxPhones} phone numbers are required."];
        }
        else
        {
            foreach (var (raw, index) in phones.Select((p, i) => (p, i)))
            {
                if (PhoneNumberParser.Default.TryNormalize(raw, defaultCountry, out var number, out var error))
                {
                    numbers.Add(number.Value);
                }
                else
                {
                    errors[$"phones[{index}]"] = [$"{Shorten(raw)}: {error}"];
                }
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ContactFields(body.FirstName!.Trim(), Blank(body.LastName), Blank(body.Company), zone, numbers.Distinct().ToList()), errors);
    }

    /// <summary>Makes a new client record (<paramref name="contactId"/> null) or replaces an existing one's fields and numbers;
    /// adds it to the unit of work, the caller saves.</summary>
    public static async Task<ContactSave> SaveAsync(ParleyDb db, Guid tenantId, Guid? contactId, ContactFields fields, DateTime now, CancellationToken cancellationToken)
    {
        var numbers = fields.Numbers.ToList();
        var taken = await db.ContactPhones.Where(p => numbers.Contains(p.Number) && p.ContactId != contactId).ToListAsync(cancellationToken);
        var owners = taken.Select(p => p.ContactId).Distinct().ToList();
        Contact? contact;
        if (contactId is { } id)
        {
            contact = await db.Contacts.Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (contact is null)
            {
                return new ContactSave(null, false, 404);
            }

            if (owners.Count > 0)
            {
                return ContactSave.Refused(409, "phones", $"{string.Join(", ", taken.Select(p => p.Number))} already belongs to another contact of this business.");
            }

            if (contact.Phones.FirstOrDefault(p => !numbers.Contains(p.Number) && p.OptedOutAtUtc is not null) is { } optedOut)
            {
                return ContactSave.Refused(400, "phones", $"{optedOut.Number} opted out; it stays on the record so its opt-out is kept.");
            }
        }
        else
        {
            if (owners.Count > 1 || await db.Contacts.AnyAsync(c => owners.Contains(c.Id) && c.IsClient, cancellationToken))
            {
                return ContactSave.Refused(409, "phones", "One of these numbers already belongs to another client record of this business.");
            }

            // A number that has texted before becomes the client's: its past conversation keeps its history.
            contact = owners.Count == 1 ? await db.Contacts.Include(c => c.Phones).FirstAsync(c => c.Id == owners[0], cancellationToken) : null;
        }

        var created = contact is null;
        if (contact is null)
        {
            contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenantId, CreatedAtUtc = now };
            db.Contacts.Add(contact);
        }

        var editing = contactId is not null;
        contact.IsClient = true;
        contact.FirstName = fields.FirstName;
        contact.LastName = editing ? fields.LastName : fields.LastName ?? contact.LastName;
        contact.Company = editing ? fields.Company : fields.Company ?? contact.Company;
        contact.TimeZone = editing ? fields.TimeZone : fields.TimeZone ?? contact.TimeZone;
        if (editing)
        {
            foreach (var removed in contact.Phones.Where(p => !numbers.Contains(p.Number)).ToList())
            {
                contact.Phones.Remove(removed);
                db.ContactPhones.Remove(removed);
            }
        }

        foreach (var number in numbers.Where(n => contact.Phones.All(p => p.Number != n)))
        {
            var phone = ContactPhone.Create(tenantId, contact.Id, number);
            contact.Phones.Add(phone);
            if (!created)
            {
                db.ContactPhones.Add(phone);
            }
        }

        return new ContactSave(contact, created);
    }

    private static string? Blank(string? text) => text?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40];
}
