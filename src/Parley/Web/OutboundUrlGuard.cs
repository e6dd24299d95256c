using System.Net;
using System.Net.Sockets;

namespace Parley.Web;

/// <summary>Bound from <c>Parley:Webhooks</c>: whether the server may call private addresses (outbound webhooks,
/// knowledge URLs, calendar servers). Off by default, so a tenant cannot make Parley reach into its own network.</summary>
public sealed class OutboundUrlOptions
{
    public const string Section = "Parley:Webhooks";

    public bool AllowPrivateUrls { get; set; }
}

/// <summary>A URL the server refuses to call; the message says why in words the tenant can act on.</summary>
public sealed class OutboundUrlRefusedException(string message) : Exception(message);

/// <summary>
/// Keeps server-side requests to tenant-given URLs on the public internet. Only http and https; and every
/// address a connection is actually opened to is checked — after DNS, on each redirect hop, on each new
/// connection — so a name that resolves to 127.0.0.1, a rebinding DNS answer or a redirect to
/// 169.254.169.254 is refused like the literal address would be.
/// </summary>
public static class OutboundUrlGuard
{
    public const string AllowSetting = "Parley__Webhooks__AllowPrivateUrls";

    /// <summary>Checks what can be checked before any network traffic: the scheme, credentials, a literal address.</summary>
    public static void CheckUrl(Uri url, bool allowPrivate)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new OutboundUrlRefusedException($"Only http and https addresses can be fetched; \"{url}\" is not one.");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new OutboundUrlRefusedException("Addresses with a user name or password in them are not fetched.");
        }

        if (string.IsNullOrEmpty(url.IdnHost))
        {
            throw new OutboundUrlRefusedException($"\"{url}\" has no host name.");
        }

        if (!allowPrivate && IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal) && RefusalReason(literal) is { } reason)
        {
            throw Refused(url.Host, literal, reason);
        }
    }

    /// <summary>Checks the URL and, for a host name, every address it resolves to now; delivery checks again at each
    /// connection, so a name that later resolves elsewhere is still refused.</summary>
    public static async Task CheckUrlAndHostAsync(Uri url, bool allowPrivate, CancellationToken cancellationToken)
    {
        CheckUrl(url, allowPrivate);
        var host = url.IdnHost.Trim('[', ']');
        if (allowPrivate || IPAddress.TryParse(host, out _))
        {
            return;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            throw new OutboundUrlRefusedException($"\"{url.Host}\" could not be found.");
        }

        foreach (var address in addresses)
        {
            if (RefusalReason(address) is { } reason)
            {
                throw Refused(url.Host, address, reason);
            }
        }
    }

    /// <summary>Why an address is not public (e.g. "a loopback address"), or null when it is.</summary>
    public static string? RefusalReason(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return RefusalReason(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => V4Reason(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => V6Reason(address),
            _ => "not an internet address",
        };
    }

    private static string? V4Reason(byte[] b) => (b[0], b[1], b[2]) switch
    {
        (0, _, _) => "an unspecified address",
        (127, _, _) => "a loopback address",
        (10, _, _) or (172, >= 16 and <= 31, _) or (192, 168, _) => "a private address",
        (100, >= 64 and <= 127, _) => "a shared (carrier-grade NAT) address",
        (169, 254, _) => "a link-local address (this includes cloud metadata services)",
        (192, 0, 0) or (192, 0, 2) or (198, 51, 100) or (203, 0, 113) or (198, 18 or 19, _) => "a reserved address",
        ( >= 224 and <= 239, _, _) => "a multicast address",
        ( >= 240, _, _) => "a reserved address",
        _ => null,
    };

    private static string? V6Reason(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "an unspecified address";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "a loopback address";
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "a link-local address";
        }

        if (address.IsIPv6Multicast)
        {
            return "a multicast address";
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return "a private (unique local) address";
        }

        // Forms that carry an IPv4 address inside: IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return RefusalReason(new IPAddress(b.AsSpan(12, 4)));
        }

        if (b.AsSpan(0, 12).SequenceEqual((ReadOnlySpan<byte>)[0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return RefusalReason(new IPAddress(b.AsSpan(12, 4)));
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return RefusalReason(new IPAddress(b.AsSpan(2, 4)));
        }

        // Teredo (2001::/32) hides its endpoint; documentation (2001:db8::/32) and discard (100::/64) reach nobody.
        return (b[0], b[1], b[2], b[3]) switch
        {
            (0x20, 0x01, 0x00, 0x00) => "a tunnelled (Teredo) address",
            (0x20, 0x01, 0x0d, 0xb8) => "a reserved address",
            (0x01, 0x00, 0, 0) when b.AsSpan(4, 4).IndexOfAnyExcept((byte)0) < 0 => "a reserved address",
            _ => null,
        };
    }

    /// <summary>A handler for IHttpClientFactory whose every connection goes through the address check. It never
    /// follows redirects itself (the caller re-checks each hop) and uses no proxy (a proxy would be the only
    /// address checked). A body left unread (a page over the size limit) is never drained to keep the connection:
    /// the connection is dropped, so a hostile server cannot make Parley download what it refused.</summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxResponseDrainSize = 0,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new OutboundUrlRefusedException($"\"{endPoint.Host}\" has no address.");
        }

        // One refused address refuses the host: a name answering both public and private addresses is a rebinding trick.
        foreach (var address in addresses)
        {
            if (!allowPrivate && RefusalReason(address) is { } reason)
            {
                throw Refused(endPoint.Host, address, reason);
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static OutboundUrlRefusedException Refused(string host, IPAddress address, string reason)
    {
        var shown = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var where = IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"{shown} is {reason}" : $"{host} resolves to {shown}, {reason}";
        return new OutboundUrlRefusedException($"{where}; Parley only calls public internet addresses (the setting {AllowSetting}=true allows private ones).");
    }
}
