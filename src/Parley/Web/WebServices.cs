using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
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
        services.AddSingleton<IValidateOptions<SignInLimitOptions>, SignInLimitOptionsValidator>();
        services.AddOptions<SignInLimitOptions>().BindConfiguration(SignInLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInSessionCache>();
        services.AddScoped<SignInSessions>();
        services.AddScoped<PasswordSignIn>();
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
                o.ExpireTimeSpan = SignInSessions.Lifetime;
                // Each request's cookie names a server-side session that must still exist (signed out = gone).
                o.Events.OnValidatePrincipal = SignInSessions.ValidateAsync;
                o.Events.OnRedirectToLogin = c => ApiAware(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiAware(c, StatusCodes.Status403Forbidden);
            });

        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // Behind a TLS proxy named in configuration the request is seen as HTTPS, so every cookie is Secure and
        // HSTS is sent; the client address it forwards is the one sign-in throttling counts.
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) => proxies.Value.ApplyTo(forwarded));
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
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
        })
            // Validation is the server's; without client-side validation an empty summary renders nothing,
            // instead of an inline-styled placeholder the Content-Security-Policy would block.
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
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

    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."));
}
