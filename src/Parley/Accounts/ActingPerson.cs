using System.Security.Claims;

namespace Parley.Accounts;

/// <summary>Who did something, as the activity log names them: the signed-in person's email, or the API client.</summary>
public static class ActingPerson
{
    public const string ApiClient = "an API client";

    public static string Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.Name) is { Length: > 0 } name ? name : ApiClient;
    }
}
