using Parley.Accounts;
using Parley.Agent;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class CallbacksModel(ParleyDb db, TenantScope scope) : DashboardPage(db)
{
    public IReadOnlyList<ActivityApi.CallbackView> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Rows = (await ActivityApi.ListCallbacksAsync(Db, scope, cancellationToken)).Value!;
    }
}
