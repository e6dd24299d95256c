using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Accounts.A2p;

/// <summary>The self-serve A2P 10DLC registration: submit the brand and campaign details, follow each step.</summary>
public static class A2pApi
{
    public sealed record StepView(string Name, string Status, string? Id);

    public sealed record RegistrationView(A2pStatus A2pStatus, IReadOnlyList<StepView> Steps, string? Problem, A2pDetails? Details, DateTime? UpdatedAt);

    public static void MapA2pApi(this RouteGroupBuilder api)
    {
        api.MapGet("/a2p/registration", GetAsync).WithName("GetA2pRegistration").WithSummary("The A2P 10DLC registration: each step's status, polled from the carrier.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/a2p/registration", SubmitAsync).WithName("SubmitA2pRegistration").WithSummary("Submits the brand and campaign details for A2P 10DLC registration.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    public static RegistrationView View(Tenant tenant, A2pRegistration? registration)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (registration is null)
        {
            return new RegistrationView(tenant.A2pStatus, [], null, null, null);
        }

        var steps = new List<StepView>
        {
            new("brand", registration.BrandStatus ?? "NOT_SUBMITTED", registration.BrandId),
            new("campaign", registration.CampaignStatus ?? "NOT_SUBMITTED", registration.CampaignId),
        };
        steps.AddRange(A2pRegistrar.Assignments(registration).Select(a => new StepView($"number {a.Key}", a.Value, a.Key)));
        return new RegistrationView(tenant.A2pStatus, steps, registration.Problem, A2pRegistrar.Details(registration), registration.UpdatedAtUtc);
    }

    internal static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> GetAsync(
        ParleyDb db, TenantScope scope, A2pRegistrar registrar, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var registration = await db.A2pRegistrations.FirstOrDefaultAsync(cancellationToken);
        if (registration is not null && tenant.A2pStatus is A2pStatus.Pending)
        {
            try
            {
                await registrar.AdvanceAsync(tenant, registration, cancellationToken);
            }
            catch (TenDlcUnavailableException ex)
            {
                return TypedResults.Problem(statusCode: 503, title: "Carrier registry unavailable", detail: ex.Message);
            }
        }

        return TypedResults.Ok(View(tenant, registration));
    }

    internal static async Task<Results<Ok<RegistrationView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        A2pDetails body, ParleyDb db, TenantScope scope, A2pRegistrar registrar, CancellationToken cancellationToken)
    {
        var errors = body.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        if (tenant.A2pStatus == A2pStatus.Live)
        {
            return TypedResults.Problem(statusCode: 409, title: "Already registered", detail: "The A2P registration is Live; ask the Parley team to change it.");
        }

        try
        {
            var registration = await registrar.SubmitAsync(tenant, body, cancellationToken);
            return TypedResults.Ok(View(tenant, registration));
        }
        catch (TenDlcUnavailableException ex)
        {
            return TypedResults.Problem(statusCode: 503, title: "Carrier registry unavailable", detail: ex.Message);
        }
    }
}
