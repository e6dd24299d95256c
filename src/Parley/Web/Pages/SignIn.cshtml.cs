using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Parley.Web.Pages;

public sealed class SignInModel(SignUp accounts) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var user = await accounts.CheckPasswordAsync(Email, Password, cancellationToken);
        if (user is null)
        {
            ModelState.AddModelError(string.Empty, "That email and password do not match an account.");
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, WebServices.Principal(user));
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : user.OnboardingDismissedAtUtc is null ? "/onboarding" : "/");
    }
}
