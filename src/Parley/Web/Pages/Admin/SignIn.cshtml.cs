using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Parley.Accounts;

namespace Parley.Web.Pages.Admin;

public sealed class AdminSignInModel(IOptions<ParleyOptions> parley) : PageModel
{
    [BindProperty]
    public string? Key { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var adminKey = parley.Value.AdminApiKey;
        if (string.IsNullOrEmpty(adminKey) || string.IsNullOrEmpty(Key) || !ApiKeys.FixedTimeEquals(Key, adminKey))
        {
            ModelState.AddModelError(string.Empty, "That is not the admin API key.");
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, WebServices.PlatformAdmin());
        return Redirect("/admin/tenants");
    }
}
