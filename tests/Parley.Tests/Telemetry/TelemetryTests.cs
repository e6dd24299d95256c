using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Trace;
using Parley.Telemetry;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Telemetry;

/// <summary>The app with an in-memory span exporter, as an operator's collector would see it.</summary>
public sealed class TracedParleyApp : ParleyApp
{
    public SpanCollection Spans { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
}

/// <summary>The exporter writes from worker threads while a test reads: a locked list.</summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> spans = [];

    public int Count { get { lock (spans) { return spans.Count; } } }

    public bool IsReadOnly => false;

    public void Add(Activity item) { lock (spans) { spans.Add(item); } }

    public Activity[] Snapshot() { lock (spans) { return [.. spans]; } }

    public void Clear() { lock (spans) { spans.Clear(); } }

    public bool Contains(Activity item) { lock (spans) { return spans.Contains(item); } }

    public void CopyTo(Activity[] array, int arrayIndex) { lock (spans) { spans.CopyTo(array, arrayIndex); } }

    public bool Remove(Activity item) { lock (spans) { return spans.Remove(item); } }

    public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public sealed class TelemetryTests(TracedParleyApp app) : IClassFixture<TracedParleyApp>
{
    private static int numbers = 100;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    [Theory]
    [InlineData("Hi, I saw your sign on Elm Street. Is the house still for sale?")]
    [InlineData("hey is 12 maple still available")]
    [InlineData("Good morning! Could you tell me more about the listing on Oak Ave?")]
    public async Task One_inbound_text_is_one_trace_from_the_webhook_through_each_work_item_to_the_model_and_the_carrier(string text)
    {
        var tenant = await app.CreateTenantAsync(NextNumber());

        await tenant.Http.PostJsonAsync("/api/sandbox/inbound", new { from = NextNumber(), text });

        var spans = await Eventually.GetAsync(
            () => Task.FromResult(TraceOf(tenant.Id)),
            t => t.Any(s => s.DisplayName == "carrier send") && t.Any(s => s.DisplayName == "work sms.send"));
        var webhook = Single(spans, "webhook sandbox");
        var inbound = Single(spans, "work inbound.sms");
        var turn = Single(spans, "work agent.turn");
        var model = Single(spans, "model decide");
        var send = Single(spans, "work sms.send");
        var carrier = Single(spans, "carrier send");

        Assert.Equal(webhook.SpanId, inbound.ParentSpanId);
        Assert.Equal(inbound.SpanId, turn.ParentSpanId);
        Assert.Equal(turn.SpanId, model.ParentSpanId);
        Assert.Equal(turn.SpanId, send.ParentSpanId);
        Assert.Equal(send.SpanId, carrier.ParentSpanId);
        Assert.Equal("agent.turn", turn.GetTagItem("parley.work.kind"));
        Assert.Equal(tenant.Id.ToString(), turn.GetTagItem("parley.tenant.id"));
        Assert.Equal("Accepted", carrier.GetTagItem("parley.sms.outcome"));
    }

    [Fact]
    public async Task Webhook_latency_model_latency_sends_and_the_queue_gauges_are_measured()
    {
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var webhook = new MetricCollector<double>(meters, ParleyTelemetry.Name, "parley.webhook.duration");
        using var model = new MetricCollector<double>(meters, ParleyTelemetry.Name, "parley.model.duration");
        using var sends = new MetricCollector<long>(meters, ParleyTelemetry.Name, "parley.sms.sends");
        using var depth = new MetricCollector<long>(meters, ParleyTelemetry.Name, "parley.work.queue_depth");
        using var age = new MetricCollector<double>(meters, ParleyTelemetry.Name, "parley.work.oldest_age");
        var tenant = await app.CreateTenantAsync(NextNumber());

        await tenant.Http.PostJsonAsync("/api/sandbox/inbound", new { from = NextNumber(), text = "Hello, is the condo downtown still listed?" });
        await Eventually.GetAsync(() => Task.FromResult(sends.GetMeasurementSnapshot().Count), n => n > 0);
        depth.RecordObservableInstruments();
        age.RecordObservableInstruments();

        var latency = Assert.Single(webhook.GetMeasurementSnapshot(), m => Equals(m.Tags["parley.carrier"], "sandbox"));
        Assert.Equal(202, latency.Tags["http.response.status_code"]);
        Assert.True(latency.Value > 0);
        Assert.Contains(model.GetMeasurementSnapshot(), m => Equals(m.Tags["parley.model"], "rules-v1"));
        Assert.Contains(sends.GetMeasurementSnapshot(), m => Equals(m.Tags["parley.carrier"], "Sandbox") && Equals(m.Tags["parley.sms.outcome"], "Accepted"));
        Assert.Contains(depth.GetMeasurementSnapshot(), m => Equals(m.Tags["parley.work.kind"], "agent.turn") && m.Value >= 0);
        Assert.Contains(age.GetMeasurementSnapshot(), m => Equals(m.Tags["parley.work.kind"], "sms.send") && m.Value >= 0);
    }

    [Fact]
    public async Task Queue_depth_counts_waiting_items_of_each_kind()
    {
        var kind = $"test.later.{Guid.NewGuid():N}";
        await app.QueryAsync(async db =>
        {
            for (var i = 0; i < 3; i++)
            {
                db.WorkItems.Add(new Parley.Work.WorkItem { Kind = kind, Payload = "{}", DueAtUtc = DateTime.UtcNow.AddDays(1), CreatedAtUtc = DateTime.UtcNow });
            }

            return await db.SaveChangesAsync();
        });
        var meters = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var depth = new MetricCollector<long>(meters, ParleyTelemetry.Name, "parley.work.queue_depth");
        using var age = new MetricCollector<double>(meters, ParleyTelemetry.Name, "parley.work.oldest_age");

        app.Services.GetRequiredService<ParleyMetrics>().ReadingLifetime = TimeSpan.Zero; // a fresh reading, not a cached one
        depth.RecordObservableInstruments();
        age.RecordObservableInstruments();

        Assert.Equal(3, Assert.Single(depth.GetMeasurementSnapshot(), m => Equals(m.Tags["parley.work.kind"], kind)).Value);
        Assert.Equal(0, Assert.Single(age.GetMeasurementSnapshot(), m => Equals(m.Tags["parley.work.kind"], kind)).Value); // not due yet
    }

    private Activity[] TraceOf(Guid tenantId)
    {
        var all = app.Spans.Snapshot();
        var root = all.FirstOrDefault(s => s.DisplayName == "work inbound.sms" && Equals(s.GetTagItem("parley.tenant.id"), tenantId.ToString()));
        return root is null ? [] : all.Where(s => s.TraceId == root.TraceId).ToArray();
    }

    private static Activity Single(Activity[] spans, string name) => Assert.Single(spans, s => s.DisplayName == name);
}
