using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Agent;
using Parley.Agent.OpenAi;
using Parley.Agent.Rules;
using Parley.Billing;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Messaging.Sandbox;
using Parley.Messaging.Telnyx;
using Parley.Web;
using Parley.Work;

namespace Parley;

/// <summary>Start-up wiring: each feature's services, options validated before the app serves.</summary>
public static class ParleyServices
{
    public static void AddParley(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddOptions<ParleyOptions>().Bind(config.GetSection("Parley"));
        services.AddOptions<TelnyxOptions>().Bind(config.GetSection("Parley:Telnyx"));
        services.AddOptions<AgentOptions>().Bind(config.GetSection("Parley:Agent"));
        services.AddOptions<AiOptions>().Bind(config.GetSection("Parley:Ai"));
        services.AddOptions<WorkOptions>().Bind(config.GetSection("Parley:Work"));
        services.AddSingleton<IValidateOptions<ParleyOptions>, ParleyOptionsValidation>();
        services.AddOptions<ParleyOptions>().ValidateOnStart();

        services.AddParleyData();
        services.AddScoped<TenantScope>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddScoped<WorkQueue>();
        services.AddHostedService<WorkQueueWorker>();
        services.AddKeyedScoped<IWorkHandler, InboundTextProcessor>(InboundTextProcessor.Kind);
        services.AddKeyedScoped<IWorkHandler, ConversationAgent>(ConversationAgent.Kind);
        services.AddKeyedScoped<IWorkHandler, OutboundSender>(OutboundMessages.SendKind);
        services.AddKeyedScoped<IWorkHandler, DeliveryStatusUpdater>(DeliveryStatusUpdater.Kind);

        services.AddOptions<CampaignOptions>().Bind(config.GetSection(CampaignOptions.Section))
            .Configure<IOptions<BillingOptions>>((campaigns, billing) => campaigns.SegmentPriceMicros = billing.Value.SmsSegmentMicros);
        services.AddKeyedScoped<IWorkHandler, CampaignDispatcher>(CampaignDispatcher.Kind);
        services.AddScoped<CampaignAudience>();

        services.AddScoped<ConversationFinder>();
        services.AddScoped<OutboundMessages>();
        services.AddScoped<AssistantSelector>();
        services.AddScoped<ActivityLog>();
        services.AddScoped<Wallet>();
        services.AddOptions<BillingOptions>().Bind(config.GetSection("Parley:Billing"));
        services.AddScoped<AgentTurn>();
        services.AddOptions<OpenAiModelOptions>().Bind(config.GetSection(OpenAiModelOptions.Section));
        services.AddSingleton<RulesModel>();
        services.AddSingleton(sp => new OpenAiModel(
            sp.GetRequiredService<IOptions<OpenAiModelOptions>>().Value, null,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OpenAiModel>>()));
        services.AddSingleton<IAgentModel>(sp => sp.GetRequiredService<IOptions<AiOptions>>().Value.Provider == AiProvider.OpenAI
            ? sp.GetRequiredService<OpenAiModel>()
            : sp.GetRequiredService<RulesModel>());

        services.AddSingleton<TelnyxWebhookVerifier>();
        services.AddHttpClient<TelnyxCarrier>();
        services.AddSingleton<SandboxCarrier>();
        services.AddScoped<ICarrier>(sp => sp.GetRequiredService<IOptions<ParleyOptions>>().Value.Carrier == CarrierKind.Telnyx
            ? sp.GetRequiredService<TelnyxCarrier>()
            : sp.GetRequiredService<SandboxCarrier>());

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, p => p.RequireRole(ApiKeyAuthentication.AdminRole))
            .AddPolicy(ApiKeyAuthentication.TenantPolicy, p => p.RequireClaim(ApiKeyAuthentication.TenantClaim));
        services.AddParleyWeb();
    }

    /// <summary>Ready when the database answers; a failing AI model makes the app degraded, not unready, since
    /// everything else (inbound texts, sends, the dashboard) still works.</summary>
    private static async Task<IResult> ReadinessAsync(ParleyDb db, CancellationToken ct)
    {
        if (!await db.Database.CanConnectAsync(ct))
        {
            return TypedResults.Problem(statusCode: 503, title: "Not ready", detail: "The database cannot be reached.");
        }

        var failing = await db.Tenants.AsNoTracking().Where(t => t.ModelFailingSinceUtc != null)
            .OrderBy(t => t.ModelFailingSinceUtc).Select(t => new { t.ModelFailingSinceUtc, t.ModelFailureReason }).FirstOrDefaultAsync(ct);
        return failing is null
            ? TypedResults.Ok(new { status = "ready", model = new { status = "ok", since = (DateTime?)null, reason = (string?)null } })
            : TypedResults.Ok(new { status = "degraded", model = new { status = "failing", since = failing.ModelFailingSinceUtc, reason = failing.ModelFailureReason } });
    }

    public static void MapParley(this WebApplication app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapGet("/health/ready", ReadinessAsync).AllowAnonymous();
        app.MapTelnyxWebhooks();
        app.MapAdminApi();
        var api = app.MapGroup("/api").RequireAuthorization(ApiKeyAuthentication.TenantPolicy);
        api.MapAccountApi();
        api.MapContactsApi();
        api.MapConversationsApi();
        api.MapAssistantsApi();
        api.MapSandboxApi();
        api.MapActivityApi();
        api.MapTesterApi();
        api.MapBillingApi();
        api.MapCampaignsApi();
        api.MapConversationExport();
        api.MapConversationEvents();
        app.MapParleyWeb();
    }
}

internal sealed class ParleyOptionsValidation(IOptions<TelnyxOptions> telnyx, IOptions<AiOptions> ai, IOptions<OpenAiModelOptions> openAi, IOptions<CampaignOptions> campaigns)
    : IValidateOptions<ParleyOptions>
{
    public ValidateOptionsResult Validate(string? name, ParleyOptions options)
    {
        var errors = telnyx.Value.Validate(requireApiKey: options.Carrier == CarrierKind.Telnyx).ToList();
        errors.AddRange(campaigns.Value.Validate());
        if (ai.Value.Provider == AiProvider.OpenAI)
        {
            errors.AddRange(openAi.Value.Validate());
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
