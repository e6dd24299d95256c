using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing;
using Parley.Billing.Payments;
using Parley.Data;

namespace Parley.Web.Pages;

/// <summary>The plan, the wallet (top-ups, auto-recharge, receipts) and the period's usage with its ledger. Money
/// moves through the same handlers as the API; only the account's owner may spend.</summary>
public sealed class BillingModel(
    ParleyDb db, TenantScope scope, SelfServeBilling billing, IOptions<BillingOptions> options, IOptions<PaymentOptions> payments, TimeProvider time)
    : DashboardPage(db)
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Cursor { get; set; }

    /// <summary>Back from a hosted checkout: <c>paid=1</c> or <c>cancelled=1</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Paid { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Cancelled { get; set; }

    [BindProperty]
    public decimal? Amount { get; set; }

    [BindProperty]
    public AutoRechargeApi.AutoRechargeSettings Recharge { get; set; } = new(null, null, null, null);

    /// <summary>The period's usage and one page of its ledger; null when the period could not be read.</summary>
    public BillingApi.Usage? Usage { get; private set; }

    /// <summary>Below this balance the page warns before replies start being skipped.</summary>
    public decimal LowBalanceLine => new Money(options.Value.LowBalanceMicros).Dollars;

    public SelfServeBillingApi.PlanView PlanState { get; private set; } = null!;

    public AutoRechargeApi.AutoRechargeView AutoRecharge { get; private set; } = null!;

    public IReadOnlyList<Payment> Receipts { get; private set; } = [];

    public IReadOnlyDictionary<Plan, decimal> Prices => options.Value.PlanPricesUsd;

    public PaymentOptions Limits => payments.Value;

    public bool CanPay => User.IsInRole(nameof(UserRole.Owner));

    public string? Notice { get; private set; }

    /// <summary>The period's AI and SMS spend per local day, as JSON for the usage chart (drawn by parley.js, as on Analytics).</summary>
    public string SpendChartData { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = TempData["Billing"] as string
            ?? (Paid == 1 ? "Payment received by the payment provider: the wallet or plan changes as soon as it confirms, usually within seconds."
                : Cancelled == 1 ? "Checkout cancelled: nothing was charged." : null);
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostTopUpAsync(CancellationToken cancellationToken)
    {
        if (!CanPay)
        {
            return Forbid();
        }

        var result = (await SelfServeBillingApi.TopUpAsync(new SelfServeBillingApi.TopUpRequest(Amount), billing, scope, Request, cancellationToken)).Result;
        if (result is Created<SelfServeBillingApi.PaymentView> { Value: { } payment })
        {
            if (payment.CheckoutUrl is { } url)
            {
                return Redirect(url);
            }

            TempData["Billing"] = payment.Status == PaymentStatus.Succeeded
                ? $"Added ${payment.Amount:0.00} to the wallet." : $"The top-up did not go through: {payment.FailureReason}";
            return RedirectToPage();
        }

        ModelState.Remove(nameof(Amount)); // "not a number" becomes the limits message below
        Accept(result);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPlanAsync(Plan? plan, CancellationToken cancellationToken)
    {
        if (!CanPay)
        {
            return Forbid();
        }

        var result = (await SelfServeBillingApi.ChangePlanAsync(new SelfServeBillingApi.PlanRequest(plan), billing, Db, scope, Request, time, cancellationToken)).Result;
        if (result is Ok<SelfServeBillingApi.PlanView> { Value: { } view })
        {
            if (view.CheckoutUrl is { } url)
            {
                return Redirect(url);
            }

            TempData["Billing"] = view.CancelAtPeriodEnd
                ? $"Your {view.Plan} plan ends on {view.CurrentPeriodEnd:MMM d, yyyy}; the account moves to Free then."
                : $"You are on the {view.Plan} plan.";
            return RedirectToPage();
        }

        if (result is ValidationProblem)
        {
            ModelState.AddModelError(string.Empty, "Choose one of the plans shown.");
        }
        else
        {
            Accept(result);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Whether the provider has a customer portal for this tenant (Stripe, once it paid through it).</summary>
    public bool HasPortal { get; private set; }

    /// <summary>Opens the provider's customer portal for cards and invoices.</summary>
    public async Task<IActionResult> OnPostPortalAsync(CancellationToken cancellationToken)
    {
        if (!CanPay)
        {
            return Forbid();
        }

        var result = (await SelfServeBillingApi.PortalAsync(billing, scope, Request, cancellationToken)).Result;
        if (result is Ok<SelfServeBillingApi.PortalView> { Value: { } portal })
        {
            return Redirect(portal.Url);
        }

        Accept(result);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAutoRechargeAsync(CancellationToken cancellationToken)
    {
        if (!CanPay)
        {
            return Forbid();
        }

        var settings = Recharge with { Enabled = Recharge.Enabled ?? false };
        var result = (await AutoRechargeApi.PutAsync(settings, billing, Db, scope, cancellationToken)).Result;
        if (Accept(result, nameof(Recharge)))
        {
            TempData["Billing"] = settings.Enabled == true ? "Auto-recharge is on." : "Auto-recharge is off.";
            return RedirectToPage();
        }

        Db.ChangeTracker.Clear();
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var period = string.IsNullOrWhiteSpace(Period) ? null : Period.Trim();
        var result = await BillingApi.UsageAsync(Db, scope, options, time, period, Cursor, PageSize, cancellationToken);
        if (result.Result is Ok<BillingApi.Usage> ok)
        {
            Usage = ok.Value!;
        }
        else
        {
            Accept(result.Result);
            // Still show the current month, so a mistyped period never leaves the page empty.
            Usage = ((Ok<BillingApi.Usage>)(await BillingApi.UsageAsync(Db, scope, options, time, null, null, PageSize, cancellationToken)).Result).Value!;
        }

        var days = (await Analytics.AnalyticsReport.BuildAsync(Db, Zone, DateOnly.FromDateTime(Usage.From.DateTime),
            DateOnly.FromDateTime(Usage.To.DateTime).AddDays(-1), null, null, cancellationToken)).Days;
        SpendChartData = System.Text.Json.JsonSerializer.Serialize(new
        {
            days = days.Select(d => d.Date.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture)),
            aiSpend = days.Select(d => d.AiSpend),
            smsSpend = days.Select(d => d.SmsSpend),
        });
        PlanState = (await SelfServeBillingApi.GetPlanAsync(Db, scope, payments, time, cancellationToken)).Value!;
        var account = await Db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        AutoRecharge = AutoRechargeApi.View(account ?? SelfServeBilling.NewAccount(Tenant.Id));
        HasPortal = payments.Value.Provider == PaymentProviderKind.Stripe && account?.CustomerId is not null;
        Receipts = await Db.Payments.AsNoTracking().Where(p => p.Status != PaymentStatus.Pending || p.CheckoutUrl == null)
            .OrderByDescending(p => p.CreatedAtUtc).Take(20).ToListAsync(cancellationToken);
    }
}
