using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Parley.Accounts;

namespace Parley.Web.Pages;

public sealed class SignInModel(PasswordSignIn passwords, SignInSessions sessions) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Set after sign-up: the next step is signing in with the password just chosen.</summary>
    public bool SignedUp { get; private set; }

    public void OnGet()
    {
        SignedUp = TempData["SignedUp"] is true;
        Email = TempData["SignUpEmail"] as string;
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var result = await passwords.CheckAsync(Email, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (result is PasswordSignIn.SignedIn { User: var user })
        {
            await sessions.SignInAsync(HttpContext, user);
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : user.OnboardingDismissedAtUtc is null ? "/onboarding" : "/");
        }

        return Refuse(this, result);
    }

    /// <summary>The same refusal for a wrong password and for an email with no account; a lockout or a busy
    /// hasher says so, with when to try again.</summary>
    internal static PageResult Refuse(PageModel page, PasswordSignIn.Result result, string wrong = "That email and password do not match an account.")
    {
        switch (result)
        {
            case PasswordSignIn.LockedOut { RetryAfter: var wait }:
                var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
                page.ModelState.AddModelError(string.Empty,
                    $"Too many failed sign-ins. Signing in is paused for {minutes} minute{(minutes == 1 ? "" : "s")}; try again then.");
                page.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                page.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case PasswordSignIn.Busy:
                page.ModelState.AddModelError(string.Empty, "Parley is busy checking other sign-ins. Try again in a few seconds.");
                page.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                page.Response.Headers.RetryAfter = "5";
                break;
            default:
                page.ModelState.AddModelError(string.Empty, wrong);
                break;
        }

        return page.Page();
    }
}
