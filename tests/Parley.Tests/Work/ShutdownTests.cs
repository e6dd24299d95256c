using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Bench;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Work;

/// <summary>
/// Graceful shutdown of a real Parley process (SIGTERM, as an orchestrator stops an instance during a
/// deploy) while a text is in flight to the carrier: the instance exits promptly and hands the work back
/// at once, and the next instance sends the text, once. Runs on whichever database the suite runs on.
/// </summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("parley-shutdown-").FullName;
    private TestDatabase database = null!;
    private FakeTelnyx telnyx = null!;

    public async Task InitializeAsync()
    {
        telnyx = await FakeTelnyx.StartAsync();
        database = new TestDatabase(folder);
    }

    private Dictionary<string, string> Environment()
    {
        var env = telnyx.AppSettings().Concat(database.Settings).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        env["Parley__AdminApiKey"] = "shutdown-admin";
        // A long lease: only a release at shutdown, not the lease running out, can let the work go on in time.
        env["Parley__Work__Lease"] = "00:10:00";
        env["Parley__Work__IdlePoll"] = "00:00:00.200";
        return env;
    }

    [Fact]
    public async Task Sigterm_mid_send_releases_the_text_at_once_and_the_next_instance_sends_it_once()
    {
        const string contact = "+14165558801";
        await using var first = await ParleyProcess.StartAsync(Environment());
        using var admin = new HttpClient { BaseAddress = first.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "shutdown-admin");
        var tenant = await admin.PostJsonAsync("/api/admin/tenants", new { name = "Deploy Realty", plan = "Growth", timeZone = "America/Toronto", a2pStatus = "Live" });
        await admin.PostJsonAsync($"/api/admin/tenants/{tenant["id"]!.GetValue<string>()}/phone-numbers", new { number = "+14165558800" });
        using var client = new HttpClient { BaseAddress = first.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant["apiKey"]!.GetValue<string>());

        // The carrier takes the text but is slow to answer: the instance is mid-call when it is told to stop.
        telnyx.Delay = TimeSpan.FromSeconds(60);
        var conversation = await client.PostJsonAsync("/api/conversations", new { to = contact, message = "Your viewing is confirmed for 4pm." });
        await Eventually.GetAsync(() => Task.FromResult(telnyx.RequestCount), n => n >= 1, TimeSpan.FromSeconds(20));

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(25));
        stopping.Stop();

        Assert.Equal(0, exitCode);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"took {stopping.Elapsed} to stop with a carrier call in flight");
        await using (var db = database.OpenContext())
        {
            var send = await db.WorkItems.SingleAsync(w => w.Kind == OutboundSender.Work.Name);
            Assert.Equal(WorkStatus.Pending, send.Status); // handed back, not left to a ten-minute lease
            Assert.Null(send.LeaseOwner);
            Assert.Equal(0, send.Attempts); // the interrupted try is not counted as a failure
        }

        telnyx.Delay = TimeSpan.Zero;
        await using var second = await ParleyProcess.StartAsync(Environment());
        using var next = new HttpClient { BaseAddress = second.BaseAddress };
        next.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        var messages = await Eventually.GetAsync(
            () => next.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}/messages"),
            m => m[0]!["status"]!.GetValue<string>() is not ("Pending" or "Sending"), // the carrier took it
            TimeSpan.FromSeconds(30));

        Assert.Single(messages.AsArray());
        Assert.NotEqual("Failed", messages[0]!["status"]!.GetValue<string>());
        // The carrier had accepted the first call; the retry carried the same idempotency key, so the
        // contact has one text, not two.
        Assert.Single(telnyx.Sends, s => s.To == contact);
        Assert.Equal(2, telnyx.RequestCount);
    }

    public async Task DisposeAsync()
    {
        await telnyx.DisposeAsync();
        database.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
