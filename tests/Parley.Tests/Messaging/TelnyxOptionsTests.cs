using Parley.Messaging.Telnyx;
using Xunit;

namespace Parley.Tests.Messaging;

public sealed class TelnyxOptionsTests
{
    private static readonly string ValidKey = Convert.ToBase64String(new byte[32]);

    [Fact]
    public void Defaults_with_an_api_key_and_a_public_key_are_valid()
    {
        var options = new TelnyxOptions { ApiKey = "KEY123", PublicKey = ValidKey };

        Assert.Empty(options.Validate(requireApiKey: true));
        Assert.Equal("https://api.telnyx.com", options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(300), options.SignatureTolerance);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
        Assert.Null(new TelnyxOptions().PublicKeyBytes());
    }

    [Fact]
    public void Valid_public_key_decodes_to_32_bytes()
    {
        var options = new TelnyxOptions { ApiKey = "KEY123", PublicKey = ValidKey };

        Assert.Empty(options.Validate(requireApiKey: true));
        Assert.Equal(32, options.PublicKeyBytes()!.Length);
    }

    [Theory]
    [InlineData("not-base64!", "PublicKey is not valid base64")]
    [InlineData("AAAA", "PublicKey must decode to 32 bytes (an Ed25519 public key); it decodes to 3")]
    public void Bad_public_key_is_explained(string key, string expected)
    {
        var errors = new TelnyxOptions { ApiKey = "KEY123", PublicKey = key }.Validate(requireApiKey: true);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => new TelnyxOptions { PublicKey = key }.PublicKeyBytes());
    }

    [Theory]
    [InlineData("api.telnyx.com")]
    [InlineData("/v2")]
    [InlineData("ftp://api.telnyx.com")]
    [InlineData("")]
    public void Base_url_must_be_absolute_http(string url)
    {
        var errors = new TelnyxOptions { ApiKey = "KEY123", BaseUrl = url }.Validate(requireApiKey: true);

        Assert.Contains(errors, e => e.Contains("Parley:Telnyx:BaseUrl must be an absolute http(s) URL", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_key_and_public_key_are_required_only_when_telnyx_is_the_carrier()
    {
        var options = new TelnyxOptions();

        Assert.Contains(options.Validate(requireApiKey: true), e => e.Contains("ApiKey is required", StringComparison.Ordinal));
        Assert.Contains(options.Validate(requireApiKey: true), e => e.Contains("Parley__Telnyx__PublicKey is required", StringComparison.Ordinal));
        Assert.Empty(options.Validate(requireApiKey: false));
    }
}
