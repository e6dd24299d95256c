using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Parley.Accounts;

namespace Parley.Web.Pages;

public sealed class SignOutModel(SignInSessions sessions) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    /// <summary>Ends the session on the server, so the cookie stops working wherever it was copied.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var admin = User.IsInRole(ApiKeyAuthentication.AdminRole);
        await sessions.SignOutAsync(HttpContext);
        return Redirect(admin ? "/admin/signin" : "/signin");
    }
}
