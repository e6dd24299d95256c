using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Parley.Web;

/// <summary>Bound from <c>Parley:ForwardedHeaders</c>: the TLS-terminating proxies whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. None by default, not even loopback: a
/// client's own forwarded headers are ignored unless they come through a proxy named here.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Parley:ForwardedHeaders";

    /// <summary>Addresses of proxies, such as <c>127.0.0.1</c> for a proxy on the same host.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR form, such as <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public void ApplyTo(ForwardedHeadersOptions options)
    {
        // With both lists empty the middleware would believe every sender, so then it reads nothing at all.
        options.ForwardedHeaders = KnownProxies.Length + KnownNetworks.Length == 0
            ? ForwardedHeaders.None
            : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
#pragma warning disable CS0618, ASPDEPR005 // the older list still holds the loopback default, and the middleware reads it too
        options.KnownNetworks.Clear();
#pragma warning restore CS0618, ASPDEPR005
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }
}

internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options) => OptionsValidators.Result(
        options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{ProxyOptions.Section}:KnownProxies holds '{p}', which is not an IP address.")
            .Concat(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                .Select(n => $"{ProxyOptions.Section}:KnownNetworks holds '{n}', which is not a network in CIDR form (10.0.0.0/8).")));
}
