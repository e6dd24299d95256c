using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Conversations;

/// <summary>Client records: texts from their numbers come from "known texters".</summary>
public static class ContactsApi
{
    public sealed record CreateContact(string? FirstName, string? LastName, string? Company, IReadOnlyList<string>? Phones, string? TimeZone = null);

    /// <param name="PhoneTypes">Each number's line type (Mobile, FixedLine, TollFree…); null for numbers stored before Parley kept it.</param>
    /// <param name="Undeliverable">Numbers the carrier cannot deliver to, with its reason.</param>
    public sealed record ContactView(Guid Id, string? FirstName, string? LastName, string? Company, bool IsClient, IReadOnlyList<string> Phones, string? TimeZone,
        IReadOnlyDictionary<string, PhoneType?> PhoneTypes, IReadOnlyList<UndeliverablePhone> Undeliverable);

    /// <summary>A number the carrier cannot deliver to, with the carrier's reason and when it said so.</summary>
    public sealed record UndeliverablePhone(string Number, string? Reason, DateTime At);

    public static void MapContactsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/contacts", CreateAsync).WithName("CreateContact").WithSummary("Creates a contact with one or more phone numbers.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/contacts/{id:guid}", GetAsync).WithName("GetContact").WithSummary("A contact and its phone numbers.");
    }

    private static async Task<Results<Ok<ContactView>, NotFound>> GetAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.Contacts.Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } contact
            ? TypedResults.Ok(View(contact))
            : TypedResults.NotFound();

    public static ContactView View(Contact c) => new(c.Id, c.FirstName, c.LastName, c.Company, c.IsClient, c.Phones.Select(p => p.Number).ToList(), c.TimeZone,
        c.Phones.ToDictionary(p => p.Number, p => p.Type),
        [.. c.Phones.Where(p => p.UndeliverableAtUtc != null).Select(p => new UndeliverablePhone(p.Number, p.UndeliverableReason, p.UndeliverableAtUtc!.Value))]);

    private static async Task<Results<Created<ContactView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateContact body, ParleyDb db, TenantScope scope, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.FirstName) || body.FirstName.Trim().Length > 100)
        {
            errors["firstName"] = ["A first name of 1 to 100 characters is required."];
        }

        if (body.LastName is { Length: > 100 } || body.Company is { Length: > 200 })
        {
            errors["lastName"] = ["Last name at most 100 characters, company at most 200."];
        }

        if (body.TimeZone is not null && !TimeZones.IsKnown(body.TimeZone))
        {
            errors["timeZone"] = [$"'{body.TimeZone}' is not an IANA time zone such as America/Chicago."];
        }

        var numbers = new List<string>();
        if (body.Phones is not { Count: > 0 and <= 10 })
        {
            errors["phones"] = ["Between 1 and 10 phone numbers are required."];
        }
        else
        {
            foreach (var (raw, index) in body.Phones.Select((p, i) => (p, i)))
            {
                if (PhoneNumberParser.Default.TryNormalize(raw, tenant.DefaultCountry, out var number, out var error))
                {
                    numbers.Add(number.Value);
                }
                else
                {
                    errors[$"phones[{index}]"] = [error];
                }
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        numbers = numbers.Distinct().ToList();
        var existing = await db.ContactPhones.Where(p => numbers.Contains(p.Number)).ToListAsync(cancellationToken);
        var owners = existing.Select(p => p.ContactId).Distinct().ToList();
        if (owners.Count > 1 || await db.Contacts.AnyAsync(c => owners.Contains(c.Id) && c.IsClient, cancellationToken))
        {
            return TypedResults.Problem(statusCode: 409, title: "Number already on a client record",
                detail: "One of these numbers already belongs to another contact of this business.");
        }

        // A number that has texted before becomes the client's: its past conversation keeps its history.
        var contact = owners.Count == 1
            ? await db.Contacts.Include(c => c.Phones).FirstAsync(c => c.Id == owners[0], cancellationToken)
            : new Contact { Id = Guid.CreateVersion7(), TenantId = tenant.Id, CreatedAtUtc = time.GetUtcNow().UtcDateTime };
        if (owners.Count == 0)
        {
            db.Contacts.Add(contact);
        }

        contact.IsClient = true;
        contact.TimeZone = body.TimeZone ?? contact.TimeZone;
        contact.FirstName = body.FirstName!.Trim();
        contact.LastName = body.LastName?.Trim() is { Length: > 0 } last ? last : contact.LastName;
        contact.Company = body.Company?.Trim() is { Length: > 0 } company ? company : contact.Company;
        foreach (var number in numbers.Where(n => contact.Phones.All(p => p.Number != n)))
        {
            contact.Phones.Add(ContactPhone.Create(tenant.Id, contact.Id, number));
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/contacts/{contact.Id}", View(contact));
    }
}
