using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Security;

/// <summary>The real app on a real Kestrel port, so requests come from a real client address (127.0.0.1)
/// that throttling counts and the forwarded-headers rules judge.</summary>
public class AuthKestrelApp : ParleyApp
{
    public AuthKestrelApp(IDictionary<string, string?>? settings = null)
        : base(settings)
    {
        UseKestrel(Bench.ParleyProcess.FreePort());
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public Uri BaseAddress { get; }

    /// <summary>A browser-like client: its own cookie jar, following redirects unless told not to.</summary>
    public HttpClient Browser(bool followRedirects = true, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = followRedirects })
        {
            BaseAddress = BaseAddress,
        };
}
