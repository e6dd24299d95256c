using System.Net;
using Parley.Web;

namespace Parley.Tests.Knowledge.Import;

public sealed class OutboundUrlGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.5", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "shared")]
    [InlineData("100.127.255.254", "shared")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fec0::1", "link-local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456:789a::1", "unique local")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("192.0.2.10", "reserved")]
    [InlineData("198.18.0.1", "reserved")]
    [InlineData("2001:db8::1", "reserved")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:192.168.0.1", "private")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("2002:a9fe:a9fe::1", "link-local")]
    [InlineData("2002:c0a8:0101::1", "private")]
    public void Non_public_addresses_are_refused_with_their_kind(string address, string kind)
    {
        var reason = OutboundUrlGuard.RefusalReason(IPAddress.Parse(address));

        Assert.NotNull(reason);
        Assert.Contains(kind, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.215.14")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:82a::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(OutboundUrlGuard.RefusalReason(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://2130706433/", "127.0.0.1 is a loopback address")] // decimal form
    [InlineData("http://0x7f000001/", "127.0.0.1 is a loopback address")] // hexadecimal
    [InlineData("http://0177.0.0.1/", "127.0.0.1 is a loopback address")] // octal
    [InlineData("http://127.1/", "127.0.0.1 is a loopback address")] // short form
    [InlineData("http://[::1]:8080/", "::1 is a loopback address")]
    [InlineData("http://[::ffff:127.0.0.1]/", "127.0.0.1 is a loopback address")]
    [InlineData("http://[::ffff:a9fe:a9fe]/latest/meta-data/", "169.254.169.254 is a link-local address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address")]
    [InlineData("https://10.0.0.1/", "10.0.0.1 is a private address")]
    [InlineData("http://0/", "0.0.0.0 is an unspecified address")]
    public void A_literal_address_in_any_form_the_url_parser_accepts_is_refused_before_any_connection(string url, string message)
    {
        var error = Assert.Throws<OutboundUrlRefusedException>(() => OutboundUrlGuard.CheckUrl(new Uri(url), allowPrivate: false));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("Parley__Webhooks__AllowPrivateUrls=true", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/faq.txt", "Only http and https")]
    [InlineData("file:///etc/passwd", "Only http and https")]
    [InlineData("gopher://example.com/", "Only http and https")]
    [InlineData("https://admin:hunter2@example.com/", "user name or password")]
    public void Only_plain_http_and_https_addresses_are_fetched_even_when_private_ones_are_allowed(string url, string message)
    {
        var error = Assert.Throws<OutboundUrlRefusedException>(() => OutboundUrlGuard.CheckUrl(new Uri(url), allowPrivate: true));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_setting_allows_private_literal_addresses()
    {
        OutboundUrlGuard.CheckUrl(new Uri("http://192.168.1.20:8080/faq"), allowPrivate: true);
        OutboundUrlGuard.CheckUrl(new Uri("https://example.com/faq"), allowPrivate: false);
    }
}
