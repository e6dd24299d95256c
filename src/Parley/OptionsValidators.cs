using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Agent.OpenAi;
using Parley.Billing;
using Parley.Billing.Payments;
using Parley.Billing.Stripe;
using Parley.Booking;
using Parley.Campaigns;
using Parley.Data;
using Parley.Knowledge;
using Parley.Knowledge.Import;
using Parley.Messaging.Sandbox;
using Parley.Messaging.Telnyx;
using Parley.Telemetry;
using Parley.Web;
using Parley.Work;

namespace Parley;

/// <summary>
/// Every options class is bound from its own <c>Section</c> and checked by its own validator before the app
/// serves: a bad setting stops start-up with a message naming the setting, not a failure on first use.
/// </summary>
public static class OptionsValidators
{
    public static void AddParleyOptions(this IServiceCollection services)
    {
        Add<ParleyOptions, ParleyOptionsValidator>(services, ParleyOptions.Section);
        Add<DatabaseOptions, DatabaseOptionsValidator>(services, DatabaseOptions.Section);
        Add<AgentOptions, AgentOptionsValidator>(services, AgentOptions.Section);
        Add<AiOptions, AiOptionsValidator>(services, AiOptions.Section);
        Add<OpenAiModelOptions, OpenAiModelOptionsValidator>(services, OpenAiModelOptions.Section);
        Add<WorkOptions, WorkOptionsValidator>(services, WorkOptions.Section);
        Add<Messaging.WebhookIngestOptions, Messaging.WebhookIngestOptionsValidator>(services, Messaging.WebhookIngestOptions.Section);
        Add<BillingOptions, BillingOptionsValidator>(services, BillingOptions.Section);
        Add<CampaignOptions, CampaignOptionsValidator>(services, CampaignOptions.Section)
            .Configure<IOptions<BillingOptions>>((campaigns, billing) => campaigns.SegmentPriceMicros = billing.Value.SmsSegmentMicros);
        Add<TelemetryOptions, TelemetryOptionsValidator>(services, TelemetryOptions.Section);
        Add<KnowledgeLimits, KnowledgeLimitsValidator>(services, KnowledgeLimits.Section);
        Add<InboxOptions, InboxOptionsValidator>(services, InboxOptions.Section);
        services.AddOptions<OutboundUrlOptions>().BindConfiguration(OutboundUrlOptions.Section); // one switch, nothing to validate
        Add<Webhooks.WebhookOptions, Webhooks.WebhookOptionsValidator>(services, Webhooks.WebhookOptions.Section);
        Add<ParleyLimits, ParleyLimitsValidator>(services, ParleyLimits.Section);
        Add<SandboxOptions, SandboxOptionsValidator>(services, SandboxOptions.Section);
        Add<CalendarOptions, CalendarOptionsValidator>(services, CalendarOptions.Section);
        Add<PaymentOptions, PaymentOptionsValidator>(services, PaymentOptions.Section);
        Add<Email.EmailOptions, Email.EmailOptionsValidator>(services, Email.EmailOptions.Section);
        Add<Accounts.A2p.A2pOptions, Accounts.A2p.A2pOptionsValidator>(services, Accounts.A2p.A2pOptions.Section);
        Add<StripeOptions, StripeOptionsValidator>(services, StripeOptions.Section);

        // The API key and the webhook public key are needed only when Telnyx is the carrier; a key given is checked either way.
        services.AddOptions<TelnyxOptions>().BindConfiguration(TelnyxOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelnyxOptions>>(sp =>
            new TelnyxOptionsValidator(requireApiKey: sp.GetRequiredService<IOptions<ParleyOptions>>().Value.Carrier == CarrierKind.Telnyx));
    }

    private static OptionsBuilder<TOptions> Add<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    internal static ValidateOptionsResult Result(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}

internal sealed class ParleyOptionsValidator : IValidateOptions<ParleyOptions>
{
    public ValidateOptionsResult Validate(string? name, ParleyOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Carrier))
        {
            errors.Add($"{ParleyOptions.Section}:Carrier must be Sandbox or Telnyx.");
        }

        if (options.DashboardUrl is { } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{ParleyOptions.Section}:DashboardUrl must be an absolute http(s) URL such as https://parley.example.com; got '{url}'.");
        }

        return OptionsValidators.Result(errors);
    }
}

internal sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public const string PostgresNeedsConnectionString =
        "Parley__Database__Provider is Postgres: set ConnectionStrings__Parley to a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).";

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var connectionString = configuration.GetConnectionString("Parley");
        return OptionsValidators.Result(options.Provider == DatabaseProvider.Postgres
            && (string.IsNullOrWhiteSpace(connectionString) || connectionString.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
                ? [PostgresNeedsConnectionString]
                : []);
    }
}

internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        const string s = AgentOptions.Section;
        var errors = new List<string>();
        if (options.DebounceSeconds is < 0 or > 300)
        {
            errors.Add($"{s}:DebounceSeconds must be between 0 and 300; got {options.DebounceSeconds}.");
        }

        if (options.ModelTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{s}:ModelTimeout must be positive; got {options.ModelTimeout}.");
        }

        if (options.FailureThreshold < 1 || options.PermanentFailureWeight < 1)
        {
            errors.Add($"{s}:FailureThreshold and PermanentFailureWeight must be at least 1.");
        }

        if (options.AutoPauseDuration <= TimeSpan.Zero)
        {
            errors.Add($"{s}:AutoPauseDuration must be positive; got {options.AutoPauseDuration}.");
        }

        return OptionsValidators.Result(errors);
    }
}

internal sealed class AiOptionsValidator : IValidateOptions<AiOptions>
{
    public ValidateOptionsResult Validate(string? name, AiOptions options) => OptionsValidators.Result(
        Enum.IsDefined(options.Provider) ? [] : [$"{AiOptions.Section}:Provider must be Rules or OpenAI."]);
}

/// <summary>The OpenAI-compatible provider's settings matter only when it is the one chosen.</summary>
internal sealed class OpenAiModelOptionsValidator(IOptions<AiOptions> ai) : IValidateOptions<OpenAiModelOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAiModelOptions options) =>
        OptionsValidators.Result(ai.Value.Provider == AiProvider.OpenAI ? options.Validate() : []);
}

internal sealed class WorkOptionsValidator : IValidateOptions<WorkOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkOptions options)
    {
        const string s = WorkOptions.Section;
        var errors = new List<string>();
        if (options.Concurrency is < 1 or > 64)
        {
            errors.Add($"{s}:Concurrency must be between 1 and 64; got {options.Concurrency}.");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add($"{s}:MaxAttempts must be at least 1; got {options.MaxAttempts}.");
        }

        if (options.Lease <= TimeSpan.Zero || options.IdlePoll <= TimeSpan.Zero)
        {
            errors.Add($"{s}:Lease and IdlePoll must be positive.");
        }

        if (options.KeepDone < TimeSpan.Zero || options.KeepFailed < TimeSpan.Zero)
        {
            errors.Add($"{s}:KeepDone and KeepFailed cannot be negative.");
        }

        return OptionsValidators.Result(errors);
    }
}

internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var errors = new List<string>();
        if (options.AiReplyMicros < 0 || options.SmsSegmentMicros < 0 || options.InboundMicros < 0)
        {
            errors.Add($"{BillingOptions.Section}:AiReplyMicros, SmsSegmentMicros and InboundMicros cannot be negative.");
        }

        errors.AddRange(options.PlanPricesUsd.Where(p => p.Value < 0).Select(p => $"{BillingOptions.Section}:PlanPricesUsd:{p.Key} cannot be negative."));
        if (options.LowBalanceMicros < 0 || options.LowBalanceCheckDelay < TimeSpan.Zero)
        {
            errors.Add($"{BillingOptions.Section}:LowBalanceMicros and LowBalanceCheckDelay cannot be negative.");
        }

        return OptionsValidators.Result(errors);
    }
}

internal sealed class CampaignOptionsValidator : IValidateOptions<CampaignOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignOptions options) => OptionsValidators.Result(options.Validate());
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) => OptionsValidators.Result(
        options.OtlpEndpoint is null or { IsAbsoluteUri: true, Scheme: "http" or "https" }
            ? []
            : [$"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http(s) URL such as http://localhost:4317."]);
}
