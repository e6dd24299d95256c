using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Telemetry;

/// <summary>
/// The "Parley" meter. Counters and histograms are recorded where the thing happens; the queue gauges read
/// the database only when a reader collects them (one grouped query over the status index, shared by both
/// gauges for a second), never on the work path.
/// </summary>
public sealed class ParleyMetrics
{
    private readonly Histogram<double> webhookDuration;
    private readonly Histogram<double> modelDuration;
    private readonly Counter<long> modelErrors;
    private readonly Counter<long> sends;
    private readonly Counter<long> sendFailures;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private QueueSnapshot[] snapshot = [];
    private long? snapshotAt;

    public ParleyMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time)
    {
        this.scopes = scopes;
        this.time = time;
        var meter = meters.Create(ParleyTelemetry.Name);
        webhookDuration = meter.CreateHistogram<double>("parley.webhook.duration", "s", "Time to answer a carrier webhook.");
        modelDuration = meter.CreateHistogram<double>("parley.model.duration", "s", "Time the model took to decide a turn.");
        modelErrors = meter.CreateCounter<long>("parley.model.errors", description: "Turns the model failed to decide (errors, timeouts, unusable answers).");
        sends = meter.CreateCounter<long>("parley.sms.sends", description: "Texts handed to the carrier, by carrier and outcome.");
        sendFailures = meter.CreateCounter<long>("parley.sms.send_failures", description: "Sends the carrier refused or could not take, by carrier error code.");
        meter.CreateObservableGauge("parley.work.queue_depth", () => Queue().Select(q => new Measurement<long>(q.Depth, new KeyValuePair<string, object?>("parley.work.kind", q.Kind))),
            description: "Work items waiting or running, by kind.");
        meter.CreateObservableGauge("parley.work.oldest_age", () => Queue().Select(q => new Measurement<double>(q.OldestAge.TotalSeconds, new KeyValuePair<string, object?>("parley.work.kind", q.Kind))),
            "s", "How long the longest-waiting due item of each kind has been due.");
    }

    /// <summary>How long one reading of the queue serves the gauges (both are usually collected together).</summary>
    internal TimeSpan ReadingLifetime { get; set; } = TimeSpan.FromSeconds(1);

    public void WebhookReceived(string carrier, int status, TimeSpan elapsed) =>
        webhookDuration.Record(elapsed.TotalSeconds, new("parley.carrier", carrier), new("http.response.status_code", status));

    public void ModelDecided(string model, TimeSpan elapsed) => modelDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("parley.model", model));

    public void ModelFailed(string model, string error) => modelErrors.Add(1, new("parley.model", model), new("error.type", error));

    public void Sent(string carrier, string outcome, string? errorCode)
    {
        sends.Add(1, new("parley.carrier", carrier), new("parley.sms.outcome", outcome));
        if (outcome != "Accepted")
        {
            sendFailures.Add(1, new("parley.carrier", carrier), new("parley.carrier.error_code", errorCode ?? "none"));
        }
    }

    private static readonly string[] KnownKinds =
        [InboundTextProcessor.Work.Name, ConversationAgent.Work.Name, OutboundSender.Work.Name, OutboundSender.CampaignWork.Name, DeliveryStatusUpdater.Work.Name, CampaignDispatcher.Work.Name, Knowledge.Import.KnowledgeRefetcher.Work.Name];

    private sealed record QueueSnapshot(string Kind, long Depth, TimeSpan OldestAge);

    private QueueSnapshot[] Queue()
    {
        lock (gate)
        {
            if (snapshotAt is { } at && time.GetElapsedTime(at) < ReadingLifetime)
            {
                return snapshot;
            }

            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
            var now = time.GetUtcNow().UtcDateTime;
            var rows = db.WorkItems.IgnoreQueryFilters().AsNoTracking()
                .Where(w => w.Status == WorkStatus.Pending || w.Status == WorkStatus.Running)
                .GroupBy(w => w.Kind)
                .Select(g => new { Kind = g.Key, Depth = g.LongCount(), OldestDue = g.Where(w => w.Status == WorkStatus.Pending && w.DueAtUtc <= now).Min(w => (DateTime?)w.DueAtUtc) })
                .ToList();
            var measured = rows.Select(r => new QueueSnapshot(r.Kind, r.Depth, r.OldestDue is { } due ? now - due : TimeSpan.Zero));
            var idle = KnownKinds.Except(rows.Select(r => r.Kind)).Select(kind => new QueueSnapshot(kind, 0, TimeSpan.Zero));
            snapshot = [.. measured.Concat(idle)]; // an empty kind reads 0 instead of vanishing from dashboards
            snapshotAt = time.GetTimestamp();
            return snapshot;
        }
    }
}
