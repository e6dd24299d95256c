using Microsoft.Extensions.Options;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Hosting;

/// <summary>A bad setting stops the app at start-up with a message that names it.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Parley:Work:Concurrency", "0", "Parley:Work:Concurrency must be between 1 and 64")]
    [InlineData("Parley:Work:MaxAttempts", "0", "Parley:Work:MaxAttempts must be at least 1")]
    [InlineData("Parley:Agent:DebounceSeconds", "-1", "Parley:Agent:DebounceSeconds must be between 0 and 300")]
    [InlineData("Parley:Agent:ModelTimeout", "00:00:00", "Parley:Agent:ModelTimeout must be positive")]
    [InlineData("Parley:Billing:AiReplyMicros", "-5", "Parley:Billing:AiReplyMicros, SmsSegmentMicros and InboundMicros cannot be negative")]
    [InlineData("Parley:Campaigns:BatchSize", "0", "BatchSize must be at least 1")]
    [InlineData("Parley:WebhookIngest:BatchSize", "0", "Parley:WebhookIngest:BatchSize must be between 1 and 1000")]
    [InlineData("Parley:WebhookIngest:Capacity", "10", "Parley:WebhookIngest:Capacity must be at least Parley:WebhookIngest:BatchSize")]
    [InlineData("Parley:WebhookIngest:RetryAfter", "00:00:00", "Parley:WebhookIngest:RetryAfter must be between 1 second and 5 minutes")]
    [InlineData("Parley:Telnyx:BaseUrl", "api.telnyx.com", "Parley:Telnyx:BaseUrl must be an absolute http(s) URL")]
    [InlineData("Parley:Telnyx:PublicKey", "AAAA", "PublicKey must decode to 32 bytes")]
    [InlineData("Parley:Telemetry:OtlpEndpoint", "/collector", "Parley:Telemetry:OtlpEndpoint must be an absolute http(s) URL")]
    public void A_bad_setting_stops_start_up_naming_the_setting(string key, string value, string message)
    {
        using var app = new ConfiguredParleyApp(new Dictionary<string, string?> { [key] = value });

        Assert.Contains(StartUpFailures(app), f => f.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Telnyx", "Parley:Telnyx:ApiKey is required to send through Telnyx")]
    public void The_chosen_carrier_needs_its_key(string carrier, string message)
    {
        using var app = new ConfiguredParleyApp(new Dictionary<string, string?> { ["Parley:Carrier"] = carrier });

        Assert.Contains(StartUpFailures(app), f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_OpenAI_provider_needs_a_model_but_the_rules_model_does_not()
    {
        using var openAi = new ConfiguredParleyApp(new Dictionary<string, string?> { ["Parley:Ai:Provider"] = "OpenAI", ["Parley:Ai:Model"] = "" });
        Assert.Contains(StartUpFailures(openAi), f => f.Contains("Parley:Ai:Model is required", StringComparison.Ordinal));

        using var rules = new ConfiguredParleyApp(new Dictionary<string, string?> { ["Parley:Ai:Model"] = "" });
        Assert.NotNull(rules.Server);
    }

    /// <summary>What start-up reported: one options class's failures, or several at once.</summary>
    private static List<string> StartUpFailures(ParleyApp app)
    {
        var error = Record.Exception(() => app.Server);
        return error switch
        {
            OptionsValidationException one => [.. one.Failures],
            AggregateException many => [.. many.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)],
            null => throw new Xunit.Sdk.XunitException("The app started."),
            _ => throw new Xunit.Sdk.XunitException($"Start-up failed with {error}"),
        };
    }
}
