using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Accounts;

/// <summary>Platform administration: tenants, plans, A2P status, wallet credits, phone numbers.</summary>
public static class AdminApi
{
    public sealed record CreateTenant(string? Name, Plan? Plan, string? TimeZone, A2pStatus? A2pStatus, string? DefaultCountry);

    public sealed record CreatedTenant(Guid Id, string ApiKey);

    public sealed record UpdateTenant(Plan? Plan, A2pStatus? A2pStatus);

    public sealed record TenantView(Guid Id, string Name, Plan Plan, string TimeZone, A2pStatus A2pStatus, string DefaultCountry);

    public sealed record AddCredit(decimal? Amount, string? Note);

    public sealed record WalletBalance(decimal Balance);

    public sealed record AddPhoneNumber(string? Number, string? MessagingProfileId);

    public sealed record PhoneNumberView(Guid Id, string Number, string? MessagingProfileId);

    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        admin.MapPost("/tenants", CreateAsync).WithName("CreateTenant").WithSummary("Creates a tenant and returns its API key (shown once).");
        admin.MapPatch("/tenants/{id:guid}", UpdateAsync).WithName("UpdateTenant").WithSummary("Changes a tenant's plan, time zone, A2P status or default country.");
        admin.MapPost("/tenants/{id:guid}/wallet/credits", CreditAsync).WithName("CreditWallet").WithSummary("Adds credit to a tenant's wallet.");
        admin.MapPost("/tenants/{id:guid}/phone-numbers", AddNumberAsync).WithName("AddPhoneNumber").WithSummary("Assigns a carrier number to a tenant.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static async Task<Results<Created<CreatedTenant>, ValidationProblem>> CreateAsync(
        CreateTenant body, ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }

        if (body.Plan is null)
        {
            errors["plan"] = ["A plan is required: Free, Launch, Growth or Scale."];
        }

        if (!TimeZones.IsKnown(body.TimeZone))
        {
            errors["timeZone"] = [$"'{body.TimeZone}' is not an IANA time zone such as America/Toronto."];
        }

        var country = (body.DefaultCountry ?? "US").Trim().ToUpperInvariant();
        if (!PhoneNumberParser.Default.IsKnownRegion(country))
        {
            errors["defaultCountry"] = [$"'{body.DefaultCountry}' is not a two-letter country code Parley knows."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var apiKey = ApiKeys.Create();
        var tenant = new Tenant
        {
            Id = Guid.CreateVersion7(),
            Name = body.Name!.Trim(),
            Plan = body.Plan!.Value,
            TimeZone = body.TimeZone!,
            A2pStatus = body.A2pStatus ?? A2pStatus.NotStarted,
            DefaultCountry = country,
            ApiKeyHash = ApiKeys.Hash(apiKey),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/admin/tenants/{tenant.Id}", new CreatedTenant(tenant.Id, apiKey));
    }

    internal static async Task<Results<Ok<TenantView>, NotFound>> UpdateAsync(Guid id, UpdateTenant body, ParleyDb db, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        tenant.Plan = body.Plan ?? tenant.Plan;
        tenant.A2pStatus = body.A2pStatus ?? tenant.A2pStatus;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new TenantView(tenant.Id, tenant.Name, tenant.Plan, tenant.TimeZone, tenant.A2pStatus, tenant.DefaultCountry));
    }

    internal static async Task<Results<Ok<WalletBalance>, NotFound, ValidationProblem>> CreditAsync(
        Guid id, AddCredit body, ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (body.Amount is not { } amount || amount <= 0 || amount > 100_000 || decimal.Round(amount, 6) != amount)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["amount"] = ["An amount in US dollars above 0 and at most 100,000 is required."],
            });
        }

        db.WalletEntries.Add(new WalletEntry
        {
            TenantId = id,
            Kind = WalletEntryKind.Credit,
            AmountMicros = Money.FromDollars(amount).Micros,
            Note = body.Note?.Trim() is { Length: > 0 } note ? note[..Math.Min(note.Length, 500)] : null,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        var balance = await db.WalletEntries.IgnoreQueryFilters().Where(e => e.TenantId == id).SumAsync(e => e.AmountMicros, cancellationToken);
        return TypedResults.Ok(new WalletBalance(new Money(balance).Dollars));
    }

    internal static async Task<Results<Created<PhoneNumberView>, NotFound, ValidationProblem, ProblemHttpResult>> AddNumberAsync(
        Guid id, AddPhoneNumber body, ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tenant is null)
        {
            return TypedResults.NotFound();
        }

        if (!PhoneNumberParser.Default.TryNormalize(body.Number, tenant.DefaultCountry, out var number, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["number"] = [error] });
        }

        if (body.MessagingProfileId is { Length: > 100 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["messagingProfileId"] = ["At most 100 characters."] });
        }

        if (await db.PhoneNumbers.IgnoreQueryFilters().AnyAsync(n => n.Number == number.Value, cancellationToken))
        {
            return TypedResults.Problem(statusCode: 409, title: "Number already in use", detail: $"{number} already belongs to a tenant.");
        }

        var phone = new TenantPhoneNumber
        {
            Id = Guid.CreateVersion7(),
            TenantId = id,
            Number = number.Value,
            MessagingProfileId = body.MessagingProfileId,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.PhoneNumbers.Add(phone);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/admin/tenants/{id}/phone-numbers/{phone.Id}", new PhoneNumberView(phone.Id, phone.Number, phone.MessagingProfileId));
    }
}

public static class TimeZones
{
    public static bool IsKnown(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && id.Contains('/', StringComparison.Ordinal)
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
