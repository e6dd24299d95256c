using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Parley.Web.Pages;

public sealed class SignUpModel(SignUp accounts) : PageModel
{
    public static readonly IReadOnlyList<SelectListItem> Zones =
        new[] { "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
         "Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Halifax", "Europe/London", "UTC" }
        .Where(Accounts.TimeZones.IsKnown).Select(z => new SelectListItem(z, z)).ToList();

    [BindProperty]
    public string? BusinessName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? TimeZone { get; set; } = "America/New_York";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (created, errors) = await accounts.CreateBusinessAsync(BusinessName, Email, Password, TimeZone, cancellationToken);
        if (created is null)
        {
            foreach (var (key, messages) in errors)
            {
                var field = key switch { "email" => nameof(Email), "password" => nameof(Password), "timeZone" => nameof(TimeZone), "businessName" => nameof(BusinessName), _ => string.Empty };
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field, message);
                }
            }

            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, WebServices.Principal(created.User));
        // The key is shown once, on the next page, and never stored in plain text.
        TempData["ApiKey"] = created.ApiKey;
        return Redirect("/onboarding");
    }
}
