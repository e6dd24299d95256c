using Parley.Accounts;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class A2pModel(ParleyDb db) : DashboardPage(db)
{
    public string Explanation => Tenant.A2pStatus switch
    {
        A2pStatus.Live => "Registered: your agent may reply by SMS.",
        A2pStatus.Pending => "Submitted and waiting for the carriers; AI replies start when it is Live.",
        A2pStatus.Rejected => "The carriers rejected the registration; contact us to fix and resubmit it.",
        _ => "Not started yet; AI replies start once the registration is Live.",
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadTenantAsync(cancellationToken);
}
