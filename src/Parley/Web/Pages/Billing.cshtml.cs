using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class BillingModel(ParleyDb db, TenantScope scope, IOptions<BillingOptions> options, TimeProvider time) : DashboardPage(db)
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Cursor { get; set; }

    /// <summary>The period's usage and one page of its ledger; null when the period could not be read.</summary>
    public BillingApi.Usage? Usage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
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
    }
}
