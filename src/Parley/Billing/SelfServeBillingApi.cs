using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Billing.Payments;
using Parley.Data;

namespace Parley.Billing;

/// <summary>Self-serve billing: top-ups, the plan, receipts. Every query is the current tenant's (another tenant's
/// payment is a 404).</summary>
public static class SelfServeBillingApi
{
    public sealed record TopUpRequest(decimal? Amount);

    public sealed record PaymentView(Guid Id, PaymentKind Kind, PaymentStatus Status, decimal Amount, string Currency, Plan? Plan,
        string? CheckoutUrl, string? ReceiptUrl, string? FailureReason, DateTime CreatedAt, DateTime? CompletedAt);

    public sealed record PlanRequest(Plan? Plan);

    /// <param name="Plan">the plan in force, or the one asked for while its checkout is open (<paramref name="CheckoutUrl"/>)</param>
    public sealed record PlanView(Plan Plan, SubscriptionStatus Status, string? CheckoutUrl, DateTime? CurrentPeriodEnd, bool CancelAtPeriodEnd, bool AiAllowed);

    public static void MapSelfServeBillingApi(this RouteGroupBuilder api)
    {
        api.MapPost("/billing/topups", TopUpAsync).WithName("CreateTopUp").WithSummary("Tops up the wallet by an amount in US dollars; Stripe answers with a checkout page.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/billing/topups/{id:guid}", GetPaymentAsync).WithName("GetTopUp").WithSummary("One payment: its status and receipt.");
        api.MapGet("/billing/payments", ListPaymentsAsync).WithName("ListPayments").WithSummary("The tenant's payments, newest first: the receipts.");
        api.MapGet("/billing/plan", GetPlanAsync).WithName("GetPlan").WithSummary("The plan, its subscription state and whether AI may reply.");
        api.MapPost("/billing/plan", ChangePlanAsync).WithName("ChangePlan").WithSummary("Chooses, upgrades or downgrades the plan; Stripe answers with a checkout page for a new subscription.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/billing/portal", PortalAsync).WithName("OpenBillingPortal")
            .WithSummary("Opens the payment provider's customer portal, where cards are changed and invoices downloaded; 409 while there is none.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapAutoRechargeApi();
    }

    /// <summary>Where the customer portal is, for one visit.</summary>
    public sealed record PortalView(string Url);

    internal static async Task<Results<Ok<PortalView>, ProblemHttpResult>> PortalAsync(
        SelfServeBilling billing, TenantScope scope, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await billing.CustomerPortalUrlAsync(scope.TenantId(), $"{request.Scheme}://{request.Host}/billing", cancellationToken) is { } url
                ? TypedResults.Ok(new PortalView(url))
                : TypedResults.Problem(
                    statusCode: 409,
                    title: "No customer portal",
                    detail: "There are no cards or invoices to manage yet: the portal opens once a payment was made through Stripe.");
        }
        catch (PaymentProviderException ex)
        {
            return TypedResults.Problem(statusCode: 503, title: "Payment provider unavailable", detail: ex.Message);
        }
    }

    public static PaymentReturn ReturnUrls(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = $"{request.Scheme}://{request.Host}";
        return new PaymentReturn($"{site}/billing?paid=1", $"{site}/billing?cancelled=1");
    }

    public static PaymentView View(Payment p) => new(p.Id, p.Kind, p.Status, new Money(p.AmountMicros).Dollars, "USD", p.Plan,
        p.CheckoutUrl, p.ReceiptUrl, p.FailureReason, p.CreatedAtUtc, p.CompletedAtUtc);

    internal static async Task<Results<Created<PaymentView>, ValidationProblem, ProblemHttpResult>> TopUpAsync(
        TopUpRequest body, SelfServeBilling billing, TenantScope scope, HttpRequest request, CancellationToken cancellationToken)
    {
        if (billing.CheckTopUp(body.Amount) is { } error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["amount"] = [error] });
        }

        try
        {
            var payment = await billing.StartTopUpAsync(scope.TenantId(), body.Amount!.Value, ReturnUrls(request), cancellationToken);
            return TypedResults.Created($"/api/billing/topups/{payment.Id}", View(payment));
        }
        catch (PaymentProviderException ex)
        {
            return TypedResults.Problem(statusCode: 503, title: "Payment provider unavailable", detail: ex.Message);
        }
    }

    private static async Task<Results<Ok<PaymentView>, NotFound>> GetPaymentAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is { } payment
            ? TypedResults.Ok(View(payment))
            : TypedResults.NotFound();

    private static async Task<Ok<List<PaymentView>>> ListPaymentsAsync(ParleyDb db, CancellationToken cancellationToken)
    {
        var payments = await db.Payments.AsNoTracking().OrderByDescending(p => p.CreatedAtUtc).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(payments.Select(View).ToList());
    }

    internal static async Task<Ok<PlanView>> GetPlanAsync(
        ParleyDb db, TenantScope scope, Microsoft.Extensions.Options.IOptions<PaymentOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var account = await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var pending = await db.Payments.AsNoTracking().Where(p => p.Kind == PaymentKind.Plan && p.Status == PaymentStatus.Pending && p.CheckoutUrl != null)
            .OrderByDescending(p => p.CreatedAtUtc).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(PlanOf(tenant, account, pending?.CheckoutUrl, options.Value, time));
    }

    private static PlanView PlanOf(Tenant tenant, BillingAccount? account, string? checkoutUrl, PaymentOptions options, TimeProvider time) => new(
        tenant.Plan, account?.SubscriptionStatus ?? SubscriptionStatus.None, checkoutUrl, account?.CurrentPeriodEndUtc, account?.CancelAtPeriodEnd ?? false,
        PlanEntitlement.WhyNoAi(tenant, account, time.GetUtcNow().UtcDateTime, options.PastDueGrace) is null);

    internal static async Task<Results<Ok<PlanView>, ValidationProblem, ProblemHttpResult>> ChangePlanAsync(
        PlanRequest body, SelfServeBilling billing, ParleyDb db, TenantScope scope, HttpRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Plan is not { } plan || !Enum.IsDefined(plan))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["plan"] = ["A plan is required: Free, Launch, Growth or Scale."] });
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        try
        {
            var checkoutUrl = await billing.ChangePlanAsync(tenant, plan, ReturnUrls(request), cancellationToken);
            var account = await db.BillingAccounts.AsNoTracking().FirstAsync(cancellationToken);
            var view = PlanOf(tenant, account, checkoutUrl, billing.Limits, time);
            return TypedResults.Ok(checkoutUrl is null ? view : view with { Plan = plan, Status = SubscriptionStatus.Incomplete });
        }
        catch (PaymentProviderException ex)
        {
            return TypedResults.Problem(statusCode: 503, title: "Payment provider unavailable", detail: ex.Message);
        }
    }
}
