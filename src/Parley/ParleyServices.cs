using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Accounts.A2p;
using Parley.Agent;
using Parley.Agent.OpenAi;
using Parley.Agent.Rules;
using Parley.Analytics;
using Parley.Billing;
using Parley.Billing.Stripe;
using Parley.Booking;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Diagnostics;
using Parley.FollowUps;
using Parley.Knowledge;
using Parley.Knowledge.Import;
using Parley.Leads;
using Parley.Messaging;
using Parley.Messaging.Sandbox;
using Parley.Messaging.Telnyx;
using Parley.Telemetry;
using Parley.Web;
using Parley.Webhooks;
using Parley.Work;

namespace Parley;

/// <summary>Start-up wiring: each feature's services, options validated before the app serves.</summary>
public static class ParleyServices
{
    public static void AddParley(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddParleyOptions();

        services.AddParleyData();
        services.AddScoped<TenantScope>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddScoped<WorkQueue>();
        services.AddSingleton<ForegroundYield>();
        services.AddHostedService<WorkQueueWorker>();
        services.AddWorkHandler<InboundTextProcessor>(InboundTextProcessor.Work);
        services.AddWorkHandler<ConversationAgent>(ConversationAgent.Work);
        services.AddWorkHandler<FollowUpSender>(FollowUpSender.Work);

        services.AddWorkHandler<Booking.CalendarReminders>(Booking.CalendarReminders.Work);
        services.AddWorkHandler<Booking.CalendarSync>(Booking.CalendarSync.Work);
        services.AddWorkHandler<OutboundSender>(OutboundSender.Work);
        services.AddWorkHandler<OutboundSender>(OutboundSender.CampaignWork);
        services.AddWorkHandler<DeliveryStatusUpdater>(DeliveryStatusUpdater.Work);

        services.AddWorkHandler<CampaignDispatcher>(CampaignDispatcher.Work);
        services.AddScoped<SendingLimits>();
        services.AddScoped<CampaignAudience>();
        services.AddScoped<ContactImport>();

        services.AddParleyWebhooks();
        services.AddSingleton<Email.EmailSender>();
        Email.HandoffAlerts.AddTo(services);

        services.AddParleyKnowledge();
        services.AddKnowledgeImport();
        services.AddParleyCalendar();

        services.AddScoped<ConversationFinder>();
        services.AddScoped<OutboundMessages>();
        services.AddScoped<AssistantSelector>();
        services.AddScoped<ActivityLog>();
        services.AddScoped<ReplyDrafts>();
        services.AddScoped<FollowUpScheduler>();
        services.AddParleyBilling();
        services.AddScoped<TurnRunner>();
        services.AddScoped<KnowledgeLookup>();
        services.AddScoped<AgentGates>();
        services.AddDiagnostics();
        services.AddSingleton<RulesModel>();
        services.AddOpenAiModel();
        services.AddSingleton<IAgentModel>(sp => sp.GetRequiredService<IOptions<AiOptions>>().Value.Provider == AiProvider.OpenAI
            ? sp.GetRequiredService<OpenAiModel>()
            : sp.GetRequiredService<RulesModel>());

        services.AddTelnyxWebhooks();
        services.AddTelnyxCarrier();
        services.AddSingleton<SandboxCarrier>();
        services.AddHttpClient<TelnyxTenDlc>();
        services.AddSingleton<SandboxTenDlc>();
        services.AddScoped<ITenDlcRegistry>(sp => sp.GetRequiredService<IOptions<ParleyOptions>>().Value.Carrier == CarrierKind.Telnyx
            ? sp.GetRequiredService<TelnyxTenDlc>()
            : sp.GetRequiredService<SandboxTenDlc>());
        services.AddScoped<A2pRegistrar>();
        A2pRefresher.AddTo(services);
        services.AddScoped<ICarrier>(sp => sp.GetRequiredService<IOptions<ParleyOptions>>().Value.Carrier == CarrierKind.Telnyx
            ? sp.GetRequiredService<TelnyxCarrier>()
            : sp.GetRequiredService<SandboxCarrier>());

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, p => p.RequireRole(ApiKeyAuthentication.AdminRole))
            .AddPolicy(ApiKeyAuthentication.TenantPolicy, p => p.RequireClaim(ApiKeyAuthentication.TenantClaim));
        services.AddParleyWeb();
        services.AddRequestGuards();
        services.AddParleyOpenApi();
        builder.AddParleyTelemetry();
    }

    public static void MapParley(this WebApplication app)
    {
        app.MapGet("/health", Health).AllowAnonymous().WithName("Health").WithSummary("Liveness: the process is up.");
        app.MapGet("/health/ready", ReadyAsync).AllowAnonymous().WithName("Ready").WithSummary("Readiness: the database can be reached; a failing AI model reports degraded.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapParleyOpenApi();
        app.MapTelnyxWebhooks();
        app.MapStripeWebhooks();
        app.MapTenDlcWebhooks();
        app.MapAdminApi();
        var api = app.MapGroup("/api").RequireAuthorization(ApiKeyAuthentication.TenantPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapAccountApi();
        api.MapContactsApi();
        api.MapConversationsApi();
        api.MapFollowUpsApi();
        api.MapAssistantsApi();
        api.MapSandboxApi();
        api.MapActivityApi();
        api.MapTesterApi();
        api.MapParleyBilling();
        api.MapA2pApi();
        api.MapCampaignsApi();
        api.MapKnowledgeApi();
        api.MapKnowledgeImportApi();
        api.MapCalendarApi();
        api.MapConversationExport();
        api.MapConversationEvents();
        api.MapWebhooksApi();
        api.MapLeadsApi();
        api.MapAnalyticsApi();
        api.MapDiagnosticsApi();
        app.MapParleyWeb();
    }

    public sealed record HealthStatus(string Status);

    private static Ok<HealthStatus> Health() => TypedResults.Ok(new HealthStatus("ok"));

    public sealed record ModelHealth(string Status, DateTime? Since, string? Reason);

    public sealed record ReadyStatus(string Status, ModelHealth Model);

    /// <summary>Ready when the database answers; a failing AI model makes the app degraded, not unready, since
    /// everything else (inbound texts, sends, the dashboard) still works.</summary>
    private static async Task<Results<Ok<ReadyStatus>, ProblemHttpResult>> ReadyAsync(ParleyDb db, CancellationToken cancellationToken)
    {
        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            return TypedResults.Problem(statusCode: 503, title: "Not ready", detail: "The database cannot be reached.");
        }

        var failing = await db.Tenants.AsNoTracking().Where(t => t.ModelFailingSinceUtc != null)
            .OrderBy(t => t.ModelFailingSinceUtc).Select(t => new { t.ModelFailingSinceUtc, t.ModelFailureReason }).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(failing is null
            ? new ReadyStatus("ready", new ModelHealth("ok", null, null))
            : new ReadyStatus("degraded", new ModelHealth("failing", failing.ModelFailingSinceUtc, failing.ModelFailureReason)));
    }
}
