using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Parley.Accounts;

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
        Dictionary<string, string[]> errors;
        try
        {
            errors = await accounts.CreateBusinessAsync(BusinessName, Email, Password, TimeZone, cancellationToken);
        }
        catch (PasswordHashing.BusyException)
        {
            return SignInModel.Refuse(this, new PasswordSignIn.Busy());
        }

        if (errors.Count > 0)
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

        // The same next step whether or not the email already had an account (see SignUp.CreateBusinessAsync).
        TempData["SignedUp"] = true;
        TempData["SignUpEmail"] = SignUp.Normalize(Email);
        return Redirect("/signin");
    }
}
