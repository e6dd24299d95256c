using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Parley.Accounts;

namespace Parley.Web.Pages.Admin;

/// <summary>The admin key is one secret for the whole platform: wrong guesses are throttled per client
/// address (counted as that address's admin "account", so a stranger's guesses cannot lock the operator out).</summary>
public sealed class AdminSignInModel(IOptions<ParleyOptions> parley, SignInThrottle throttle, SignInSessions sessions) : PageModel
{
    [BindProperty]
    public string? Key { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        var account = "platform-admin@" + address;
        if (throttle.LockedFor(account, address) is { } locked)
        {
            return SignInModel.Refuse(this, new PasswordSignIn.LockedOut(locked));
        }

        var adminKey = parley.Value.AdminApiKey;
        if (string.IsNullOrEmpty(adminKey) || string.IsNullOrEmpty(Key) || !ApiKeys.FixedTimeEquals(Key, adminKey))
        {
            throttle.RecordFailure(account, address);
            return throttle.LockedFor(account, address) is { } now
                ? SignInModel.Refuse(this, new PasswordSignIn.LockedOut(now))
                : SignInModel.Refuse(this, new PasswordSignIn.Refused(), "That is not the admin API key.");
        }

        throttle.RecordSuccess(account);
        await sessions.SignInAdminAsync(HttpContext);
        return Redirect("/admin/tenants");
    }
}
