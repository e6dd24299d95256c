using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class SettingsModel(ParleyDb db, SignUp accounts) : DashboardPage(db)
{
    public IReadOnlyList<User> Team { get; private set; } = [];

    public bool IsOwner => User.IsInRole(nameof(UserRole.Owner));

    public string? NewApiKey { get; private set; }

    public string? Invited { get; private set; }

    [BindProperty]
    public string? InviteEmail { get; set; }

    [BindProperty]
    public string? InvitePassword { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        NewApiKey = TempData["ApiKey"] as string;
        Invited = TempData["Invited"] as string;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        if (!IsOwner)
        {
            return Forbid();
        }

        var (user, errors) = await accounts.InviteAsync(Guid.Parse(User.FindFirstValue(ApiKeyAuthentication.TenantClaim)!), InviteEmail, InvitePassword, cancellationToken);
        if (user is not null)
        {
            TempData["Invited"] = user.Email;
            return Redirect("/settings");
        }

        foreach (var (key, messages) in errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(key == "email" ? nameof(InviteEmail) : nameof(InvitePassword), message);
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAgentAsync(bool unansweredQuestionsNeedAttention, CancellationToken cancellationToken)
    {
        var scope = HttpContext.RequestServices.GetRequiredService<TenantScope>();
        await AccountApi.UpdateAsync(new AccountApi.AccountSettings(unansweredQuestionsNeedAttention), Db, scope, cancellationToken);
        return Redirect("/settings");
    }

    public async Task<IActionResult> OnPostRotateKeyAsync(CancellationToken cancellationToken)
    {
        if (!IsOwner)
        {
            return Forbid();
        }

        await LoadTenantAsync(cancellationToken);
        var tenant = await Db.Tenants.FirstAsync(t => t.Id == Tenant.Id, cancellationToken);
        var key = ApiKeys.Create();
        tenant.ApiKeyHash = ApiKeys.Hash(key);
        await Db.SaveChangesAsync(cancellationToken);
        TempData["ApiKey"] = key;
        return Redirect("/settings");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Team = await Db.Users.AsNoTracking().OrderBy(u => u.CreatedAtUtc).ToListAsync(cancellationToken);
    }
}
