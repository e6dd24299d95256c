using System.Diagnostics;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Parley.Telemetry;

/// <summary>Bound from <c>Parley:Telemetry</c>. Both exporters are off by default.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Parley:Telemetry";

    /// <summary>An OTLP collector (e.g. <c>http://localhost:4317</c>) for traces, metrics and logs.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Writes traces and metrics to standard output, for a look on a developer's machine.</summary>
    public bool Console { get; set; }
}

/// <summary>
/// One trace per text: the webhook span, each work item it causes (a child of the activity that queued it,
/// through the traceparent stored on the row), the model call and the carrier send. Metrics come from the
/// "Parley" meter (<see cref="ParleyMetrics"/>).
/// </summary>
public static class ParleyTelemetry
{
    public const string Name = "Parley";

    public static readonly ActivitySource Source = new(Name);

    public static void AddParleyTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.OtlpEndpoint is { IsAbsoluteUri: false })
        {
            options.OtlpEndpoint = null; // start-up validation reports it
        }
        builder.Services.AddSingleton<ParleyMetrics>();

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Name))
            .WithTracing(t =>
            {
                t.AddSource(Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (options.OtlpEndpoint is { } endpoint)
                {
                    t.AddOtlpExporter(o => o.Endpoint = endpoint);
                }

                if (options.Console)
                {
                    t.AddConsoleExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (options.OtlpEndpoint is { } endpoint)
                {
                    m.AddOtlpExporter(o => o.Endpoint = endpoint);
                }

                if (options.Console)
                {
                    m.AddConsoleExporter();
                }
            });
        if (options.OtlpEndpoint is { } logEndpoint)
        {
            otel.WithLogging(l => l.AddOtlpExporter(o => o.Endpoint = logEndpoint), o => o.IncludeScopes = true);
        }
    }

    /// <summary>The span for one run of a work item, a child of whatever queued it.</summary>
    public static Activity? StartWork(Work.WorkItem item)
    {
        ActivityContext.TryParse(item.TraceParent, null, out var parent);
        var activity = Source.StartActivity($"work {item.Kind}", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("parley.work.kind", item.Kind);
            activity.SetTag("parley.work.id", item.Id);
            activity.SetTag("parley.work.attempt", item.Attempts);
            activity.SetTag("parley.tenant.id", item.TenantId?.ToString());
        }

        return activity;
    }

    /// <summary>Times a carrier's webhook (or the Sandbox's simulated one) in its own span and in the
    /// webhook latency histogram, tagged with the status it answered.</summary>
    public static RouteHandlerBuilder WithWebhookTelemetry(this RouteHandlerBuilder route, string carrier) => route.AddEndpointFilter(async (context, next) =>
    {
        var metrics = context.HttpContext.RequestServices.GetRequiredService<ParleyMetrics>();
        using var activity = Source.StartActivity($"webhook {carrier}");
        activity?.SetTag("parley.carrier", carrier);
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            var result = await next(context);
            var answered = result;
            while (answered is INestedHttpResult nested)
            {
                answered = nested.Result;
            }

            status = answered is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            return result;
        }
        finally
        {
            activity?.SetTag("http.response.status_code", status);
            metrics.WebhookReceived(carrier, status, Stopwatch.GetElapsedTime(started));
        }
    });
}
