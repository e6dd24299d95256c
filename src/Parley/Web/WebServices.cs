using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Parley.Accounts;
using Parley.Conversations;

namespace Parley.Web;

/// <summary>The dashboard's wiring: cookie sign-in beside the API-key scheme, Razor Pages, the live event stream.</summary>
public static class WebServices
{
    /// <summary>Picks the scheme per request: a bearer header means an API key, anything else the dashboard cookie.</summary>
    public const string PolicyScheme = "Parley";

    public static void AddParleyWeb(this IServiceCollection services)
    {
        services.AddSingleton<ConversationEvents>();
        services.AddSingleton<ConversationEventsInterceptor>();
        services.AddHostedService<PostgresEventRelay>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<SignUp>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PolicyScheme;
                o.DefaultChallengeScheme = PolicyScheme;
            })
            .AddPolicyScheme(PolicyScheme, "API key or dashboard cookie", o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/signin";
                o.Cookie.Name = "parley";
                o.Cookie.HttpOnly = true;
                // Lax: a cross-site POST never carries the cookie, so the cookie cannot drive the JSON API from another site.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.Events.OnRedirectToLogin = c => ApiAware(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiAware(c, StatusCodes.Status403Forbidden);
            });

        services.AddAntiforgery(o => o.HeaderName = "RequestVerificationToken");
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web/Pages";
            // Every page needs a signed-in tenant user, except the platform-admin pages (the admin role) and signing in.
            o.Conventions.AddFolderApplicationModelConvention("/", page => page.EndpointMetadata.Add(
                new AuthorizeAttribute(page.ViewEnginePath.StartsWith("/Admin/", StringComparison.Ordinal) ? ApiKeyAuthentication.AdminPolicy : ApiKeyAuthentication.TenantPolicy)));
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/SignUp");
            o.Conventions.AllowAnonymousToPage("/Admin/SignIn");
            o.Conventions.AllowAnonymousToPage("/SignOut");
            o.Conventions.AddPageRoute("/Index", "needs-attention");
        });
    }

    public static void MapParleyWeb(this WebApplication app)
    {
        app.MapRazorPages();
    }

    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0)
        {
            return ApiKeyAuthentication.SchemeName;
        }

        // API clients without a cookie get the API's 401 problem, not a redirect to a sign-in page. The cookie
        // reads the API (the event stream, the CSV export) but never changes anything through it: writes come
        // through the dashboard's forms, which carry antiforgery tokens.
        var request = context.Request;
        var api = request.Path.StartsWithSegments("/api");
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        return api && (!read || !request.Cookies.ContainsKey("parley")) ? ApiKeyAuthentication.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static ClaimsPrincipal Principal(User user)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.Email),
                new Claim(ClaimTypes.Role, user.Role.ToString()),
                new Claim(ApiKeyAuthentication.TenantClaim, user.TenantId.ToString()),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The platform operator signs in to the admin pages with the admin API key; the cookie then
    /// carries the admin role and no tenant.</summary>
    public static ClaimsPrincipal PlatformAdmin() => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "Platform admin"), new Claim(ClaimTypes.Role, ApiKeyAuthentication.AdminRole)],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."));
}
