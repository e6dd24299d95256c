using System.Diagnostics;
using System.Globalization;
using Parley.Tests.Fakes;

namespace Parley.Bench;

/// <summary>What one measured run gives: a rate and the answer (or round-trip) latencies.</summary>
internal sealed record Stats(double Rate, double P50, double P99, int Over2s, int Failures)
{
    public static Stats Of(double[] latencies, double rate, int failures)
    {
        var sorted = latencies.Order().ToArray();
        return new Stats(rate, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Count(l => l > 2000), failures);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>Signed Telnyx webhooks driven at a target: a flood at a set concurrency, or one text at a time
/// timed until its reply reaches the carrier.</summary>
internal sealed class Load(FakeTelnyx telnyx, HttpClient http)
{
    public async Task<Stats> IngestAsync(Uri target, string tenantNumber, string tag, int count, int parallel)
    {
        var latencies = new double[count];
        var failures = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var json = telnyx.MessageReceivedJson($"evt-{tag}-{i}", $"msg-{tag}-{i}", $"+1647{(5550000 + (i % 9000)).ToString(CultureInfo.InvariantCulture)}", tenantNumber, "Hi, is this still available?");
                using var request = telnyx.SignedWebhook(json);
                request.RequestUri = new Uri(target, "/webhooks/telnyx");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        await Task.WhenAll(workers);
        clock.Stop();
        return Stats.Of(latencies, count / clock.Elapsed.TotalSeconds, failures);
    }

    /// <summary>Texts from new contacts one after another, each timed from its webhook until the carrier has its reply.</summary>
    public async Task<Stats> TurnsAsync(Uri target, string tenantNumber, string contactPrefix, string tag, int count)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var contact = $"{contactPrefix}{(5550000 + i).ToString(CultureInfo.InvariantCulture)}";
            var before = telnyx.SendsTo(contact).Count;
            var json = telnyx.MessageReceivedJson($"evt-{tag}-{i}", $"msg-{tag}-{i}", contact, tenantNumber, "Hi, I saw your sign on Elm Street");
            using var request = telnyx.SignedWebhook(json);
            request.RequestUri = new Uri(target, "/webhooks/telnyx");
            var started = DateTimeOffset.UtcNow;
            using var response = await http.SendAsync(request);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            IReadOnlyList<Parley.Tests.Fakes.FakeTelnyxSend> sends;
            while ((sends = telnyx.SendsTo(contact)).Count == before && DateTime.UtcNow < deadline)
            {
                await Task.Delay(2);
            }

            // The time the carrier accepted the reply, as the carrier stamped it, not when this loop looked: the
            // look's own delay (and, before, a copy of every send so far on each look) is not Parley's.
            latencies[i] = ((sends.Count > before ? sends[before].ReceivedAt : DateTimeOffset.UtcNow) - started).TotalMilliseconds;
        }

        return Stats.Of(latencies, count, 0);
    }

    public static void Header() => Console.WriteLine($"{"measure",-44}{"Parley",12}{"baseline",12}{"ratio",8}");

    public static void Row(string name, double parley, double baseline) =>
        Console.WriteLine($"{name,-44}{parley,12:0.0}{baseline,12:0.0}{(baseline == 0 ? 0 : parley / baseline),8:0.00}");

    /// <summary>The 1, 5 and 15 minute load averages: the figures are only as quiet as the machine was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
