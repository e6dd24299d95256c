using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Campaigns;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Conversations;

/// <summary>Client records: texts from their numbers come from "known texters".</summary>
public static class ContactsApi
{
    public sealed record CreateContact(string? FirstName, string? LastName, string? Company, IReadOnlyList<string>? Phones, string? TimeZone = null);

    /// <param name="PhoneTypes">Each number's line type (Mobile, FixedLine, TollFree…); null for numbers stored before Parley kept it.</param>
    /// <param name="Undeliverable">Numbers the carrier cannot deliver to, with its reason.</param>
    /// <param name="OptedOut">Numbers that asked not to be texted by this business.</param>
    public sealed record ContactView(Guid Id, string? FirstName, string? LastName, string? Company, bool IsClient, IReadOnlyList<string> Phones, string? TimeZone,
        IReadOnlyDictionary<string, PhoneType?> PhoneTypes, IReadOnlyList<UndeliverablePhone> Undeliverable, IReadOnlyList<string> OptedOut);

    /// <summary>A number the carrier cannot deliver to, with the carrier's reason and when it said so.</summary>
    public sealed record UndeliverablePhone(string Number, string? Reason, DateTime At);

    /// <summary>One page of contacts and how many match in all.</summary>
    public sealed record ContactList(IReadOnlyList<ContactView> Items, int Total, int Page, int PageSize);

    public static void MapContactsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/contacts", ListAsync).WithName("ListContacts").WithSummary("Contacts by name, with search, filters and paging.");
        api.MapPost("/contacts", CreateAsync).WithName("CreateContact").WithSummary("Creates a contact with one or more phone numbers.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/contacts/{id:guid}", GetAsync).WithName("GetContact").WithSummary("A contact and its phone numbers.");
        api.MapPut("/contacts/{id:guid}", UpdateAsync).WithName("UpdateContact").WithSummary("Replaces a contact's names, company, time zone and numbers.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/contacts/import.csv", ImportCsvAsync).WithName("ImportContacts").WithSummary("Creates client records from a CSV file; rejected rows come back with why.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<Results<Ok<ContactView>, NotFound>> GetAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.Contacts.AsNoTracking().Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } contact
            ? TypedResults.Ok(View(contact))
            : TypedResults.NotFound();

    public static ContactView View(Contact c) => new(c.Id, c.FirstName, c.LastName, c.Company, c.IsClient, c.Phones.Select(p => p.Number).ToList(), c.TimeZone,
        c.Phones.ToDictionary(p => p.Number, p => p.Type),
        [.. c.Phones.Where(p => p.UndeliverableAtUtc != null).Select(p => new UndeliverablePhone(p.Number, p.UndeliverableReason, p.UndeliverableAtUtc!.Value))],
        [.. c.Phones.Where(p => p.OptedOutAtUtc != null).Select(p => p.Number)]);

    /// <param name="search">words of a name or company, or digits of a number</param>
    /// <param name="optedOut">only contacts with (true) or without (false) a number that opted out</param>
    /// <param name="undeliverable">only contacts with (true) or without (false) a number the carrier cannot deliver to</param>
    /// <param name="client">only client records (true) or only texters (false)</param>
    internal static async Task<Results<Ok<ContactList>, ValidationProblem>> ListAsync(ParleyDb db, string? search, bool? optedOut, bool? undeliverable, bool? client,
        int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (search is { Length: > 100 })
        {
            errors["search"] = ["Search is at most 100 characters."];
        }

        if (page is < 1 or > 100_000)
        {
            errors["page"] = ["Page is 1 or more."];
        }

        if (pageSize is < 1 or > 200)
        {
            errors["pageSize"] = ["A page holds 1 to 200 contacts."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Contacts.AsNoTracking();
        if (search?.Trim() is { Length: > 0 } term)
        {
            var pattern = "%" + term.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            var digits = new string(term.Where(char.IsAsciiDigit).ToArray());
            query = digits.Length >= 3 && digits.Length >= term.Count(char.IsLetterOrDigit)
                ? query.Where(c => c.Phones.Any(p => p.Number.Contains(digits)))
                : query.Where(c => EF.Functions.Like(((c.FirstName ?? "") + " " + (c.LastName ?? "")).ToLower(), pattern, "\\")
                    || EF.Functions.Like((c.LastName ?? "").ToLower(), pattern, "\\") || EF.Functions.Like((c.Company ?? "").ToLower(), pattern, "\\"));
        }

        if (optedOut is { } o)
        {
            query = query.Where(c => c.Phones.Any(p => p.OptedOutAtUtc != null) == o);
        }

        if (undeliverable is { } u)
        {
            query = query.Where(c => c.Phones.Any(p => p.UndeliverableAtUtc != null) == u);
        }

        if (client is { } isClient)
        {
            query = query.Where(c => c.IsClient == isClient);
        }

        var (number, size) = (page ?? 1, pageSize ?? 50);
        var total = await query.CountAsync(cancellationToken);
        var contacts = await query.Include(c => c.Phones)
            .OrderBy(c => c.FirstName == null).ThenBy(c => c.FirstName).ThenBy(c => c.LastName).ThenBy(c => c.Id)
            .Skip((number - 1) * size).Take(size).AsSplitQuery().ToListAsync(cancellationToken);
        return TypedResults.Ok(new ContactList([.. contacts.Select(View)], total, number, size));
    }

    internal static async Task<Results<Created<ContactView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateContact body, ParleyDb db, TenantScope scope, TimeProvider time, CancellationToken cancellationToken)
    {
        var result = await SaveAsync(null, body, db, scope, time, cancellationToken);
        return result switch
        {
            { Contact: { } contact } => TypedResults.Created($"/api/contacts/{contact.Id}", View(contact)),
            { Status: 409 } => TypedResults.Problem(statusCode: 409, title: "Number already on a client record", detail: result.Reason),
            _ => TypedResults.ValidationProblem(result.Errors ?? []),
        };
    }

    internal static async Task<Results<Ok<ContactView>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, CreateContact body, ParleyDb db, TenantScope scope, TimeProvider time, CancellationToken cancellationToken)
    {
        var result = await SaveAsync(id, body, db, scope, time, cancellationToken);
        return result switch
        {
            { Contact: { } contact } => TypedResults.Ok(View(contact)),
            { Status: 404 } => TypedResults.NotFound(),
            { Status: 409 } => TypedResults.Problem(statusCode: 409, title: "Number already on another contact", detail: result.Reason),
            _ => TypedResults.ValidationProblem(result.Errors ?? []),
        };
    }

    private static async Task<ContactSave> SaveAsync(Guid? id, CreateContact body, ParleyDb db, TenantScope scope, TimeProvider time, CancellationToken cancellationToken)
    {
        if (id is { } existing && !await db.Contacts.AnyAsync(c => c.Id == existing, cancellationToken))
        {
            return new ContactSave(null, false, 404);
        }

        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var (fields, errors) = ContactRecords.Validate(body, tenant.DefaultCountry);
        if (fields is null)
        {
            return new ContactSave(null, false, 400, errors);
        }

        var saved = await ContactRecords.SaveAsync(db, tenant.Id, id, fields, time.GetUtcNow().UtcDateTime, cancellationToken);
        if (saved.Contact is not null)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return saved;
    }

    private static async Task<Results<Ok<ContactImport.Result>, ProblemHttpResult>> ImportCsvAsync(
        HttpRequest request, ParleyDb db, TenantScope scope, ContactImport import, IOptions<ParleyLimits> limits, CancellationToken cancellationToken)
    {
        if (request.ContentType?.Split(';')[0].Trim() is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return TypedResults.Problem(statusCode: 415, title: "Expected text/csv", detail: "Upload the contacts as a CSV body with Content-Type text/csv.");
        }

        var csv = await AudienceCsv.ReadAsync(request.Body, limits.Value, cancellationToken);
        if (csv.Error is { } error)
        {
            return TypedResults.Problem(statusCode: csv.ErrorStatus, title: csv.ErrorStatus == 413 ? "Too many contacts" : "Unreadable CSV", detail: error);
        }

        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        return TypedResults.Ok(await import.ImportAsync(tenant, csv.Rows, csv.Unreadable, cancellationToken));
    }
}
