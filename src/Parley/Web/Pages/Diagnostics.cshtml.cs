using Parley.Data;
using Parley.Diagnostics;

namespace Parley.Web.Pages;

/// <summary>Settings → Diagnostics: the same findings as <c>GET /api/diagnostics</c>, each section saying what is
/// wrong and what to do.</summary>
public sealed class DiagnosticsModel(ParleyDb db, TenantDiagnostics diagnostics) : DashboardPage(db)
{
    public DiagnosticsView Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Report = await diagnostics.ReadAsync(cancellationToken);
    }

    public string When(DateTime? utc, string never) => utc is { } at ? Local(at) : never;
}
