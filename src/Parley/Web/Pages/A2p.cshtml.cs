using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Accounts.A2p;
using Parley.Data;

namespace Parley.Web.Pages;

/// <summary>The A2P 10DLC wizard: the brand and campaign details Telnyx needs, submitted through the same handler as
/// the API, and each step's status (refreshed from the carrier on every visit while pending).</summary>
public sealed class A2pModel(ParleyDb db, TenantScope scope, A2pRegistrar registrar) : DashboardPage(db)
{
    [BindProperty]
    public A2pDetails Form { get; set; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public A2pApi.RegistrationView Registration { get; private set; } = null!;

    public bool IsOwner => User.IsInRole(nameof(UserRole.Owner));

    public string Explanation => Registration.A2pStatus switch
    {
        A2pStatus.Live => "Registered: your agent may reply by SMS.",
        A2pStatus.Pending => "Submitted and waiting for the carriers; AI replies start when it is Live. This page asks the carrier again each time you open it.",
        A2pStatus.Rejected => Registration.Problem ?? "The carriers rejected the registration; correct the details below and submit again.",
        _ => "Not started yet; AI replies start once the registration is Live.",
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(refresh: true, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!IsOwner)
        {
            return Forbid();
        }

        ModelState.Clear();
        var result = (await A2pApi.SubmitAsync(Form, Db, scope, registrar, cancellationToken)).Result;
        if (result is Ok<A2pApi.RegistrationView>)
        {
            return RedirectToPage();
        }

        Accept(result, nameof(Form));
        await LoadAsync(refresh: false, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (refresh && (await A2pApi.GetAsync(Db, scope, registrar, cancellationToken)).Result is ProblemHttpResult problem)
        {
            Accept(problem);
        }

        Db.ChangeTracker.Clear();
        await LoadTenantAsync(cancellationToken);
        var registration = await Db.A2pRegistrations.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        Registration = A2pApi.View(Tenant, registration);
        if (refresh && Registration.Details is { } saved)
        {
            Form = saved;
        }
    }
}
