using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;
using Parley.Email;

namespace Parley.Web.Pages;

public sealed class SettingsModel(ParleyDb db, SignUp accounts, SignInSessions sessions, IOptions<EmailOptions> email) : DashboardPage(db)
{
    /// <summary>The signed-in person.</summary>
    public User? Me { get; private set; }

    public bool EmailEnabled => email.Value.Enabled;

    public string AlertWindowText => email.Value.AlertWindow.TotalMinutes is var m && m >= 60 && m % 60 == 0
        ? $"{m / 60:0} hour{(m == 60 ? "" : "s")}"
        : $"{m:0} minutes";

    public IReadOnlyList<User> Team { get; private set; } = [];

    public bool IsOwner => User.IsInRole(nameof(UserRole.Owner));

    public string? NewApiKey { get; private set; }

    public string? Invited { get; private set; }

    [BindProperty]
    public string? InviteEmail { get; set; }

    [BindProperty]
    public string? InvitePassword { get; set; }

    /// <summary>Browsers signed in as this person, this one included.</summary>
    public int SessionCount { get; private set; }

    public string? SessionsNotice { get; private set; }

    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public bool PasswordChanged { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        NewApiKey = TempData["ApiKey"] as string;
        Invited = TempData["Invited"] as string;
        SessionsNotice = TempData["Sessions"] as string;
        PasswordChanged = TempData["PasswordChanged"] is true;
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

    /// <summary>Each person chooses for themselves whether alerts reach their inbox.</summary>
    public async Task<IActionResult> OnPostAlertsAsync(bool emailAlerts, CancellationToken cancellationToken)
    {
        var me = await Db.Users.FirstOrDefaultAsync(u => u.Id == User.UserId(), cancellationToken);
        if (me is null)
        {
            return NotFound();
        }

        me.EmailAlerts = emailAlerts;
        await Db.SaveChangesAsync(cancellationToken);
        return Redirect("/settings#alerts");
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

    /// <summary>Ends every other browser's session, such as a cookie left on a shared or lost computer.</summary>
    public async Task<IActionResult> OnPostSignOutOthersAsync(CancellationToken cancellationToken)
    {
        var ended = await sessions.SignOutOthersAsync(User, cancellationToken);
        TempData["Sessions"] = ended == 0 ? "No other browser was signed in." : $"Signed out {ended} other session{(ended == 1 ? "" : "s")}.";
        return Redirect("/settings");
    }

    /// <summary>A new password also signs out every other browser: whoever knew the old one is out.</summary>
    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken cancellationToken)
    {
        var errors = await accounts.ChangePasswordAsync(User.UserId(), CurrentPassword, NewPassword, cancellationToken);
        if (errors.Count == 0)
        {
            await sessions.SignOutOthersAsync(User, cancellationToken);
            TempData["PasswordChanged"] = true;
            return Redirect("/settings");
        }

        foreach (var (key, messages) in errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(key == "current" ? nameof(CurrentPassword) : nameof(NewPassword), message);
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        SessionCount = await sessions.CountAsync(User, cancellationToken);
        Team = await Db.Users.AsNoTracking().OrderBy(u => u.CreatedAtUtc).ToListAsync(cancellationToken);
        var me = User.UserId();
        Me = Team.FirstOrDefault(u => u.Id == me);
    }
}
