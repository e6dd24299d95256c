using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Parley.Agent;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class ActivityModel(ParleyDb db) : DashboardPage(db)
{
    [BindProperty(SupportsGet = true)]
    public ActivityKind? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? ConversationId { get; set; }

    public IReadOnlyList<ActivityApi.ActivityView> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var result = await ActivityApi.ListActivityAsync(Db, ConversationId, Kind, null, 200, cancellationToken);
        if (result.Result is Ok<List<ActivityApi.ActivityView>> ok)
        {
            Rows = ok.Value!;
        }
    }
}
