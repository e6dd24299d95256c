using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Tests.Knowledge.Import;

/// <summary>A real local web site (Kestrel on 127.0.0.1) serving the pages a business would point Parley at,
/// and the awkward ones: redirects, error pages, images, slow and endless responses.</summary>
public sealed class TestWebSite : IAsyncDisposable
{
    public const string FaqHtml = """
        <html><head><title>Maple Home Buyers FAQ</title></head><body>
        <nav>Home | Sell | Blog</nav>
        <h2>How fast can you close?</h2><p>Usually in 7 to 14 days, on the date you pick.</p>
        <h2>Do you buy houses that need work?</h2><p>Yes, as-is. No repairs, no cleaning.</p>
        <footer>© Maple</footer></body></html>
        """;

    private readonly WebApplication app;
    private int faqHits;

    private TestWebSite(WebApplication app)
    {
        this.app = app;
        app.MapGet("/faq", () => Results.Content(Page, "text/html; charset=utf-8"));
        app.MapGet("/counted-faq", () =>
        {
            Interlocked.Increment(ref faqHits);
            return Results.Content(Page, "text/html; charset=utf-8");
        });
        app.MapGet("/notes", () => Results.Text("Office hours\n\nMonday to Saturday, 9 to 6.", "text/plain"));
        app.MapGet("/readme.md", () => Results.Text("# Fees\n\nNone at all.", "text/markdown"));
        app.MapGet("/guide.pdf", () => Results.Bytes(TestDocuments.Pdf("Seller guide", false, ["# Closing", "Seven to fourteen days."]), "application/pdf"));
        app.MapGet("/logo.png", () => Results.Bytes([0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3], "image/png"));
        app.MapGet("/data.json", () => Results.Text("{\"a\":1}", "application/json"));
        app.MapGet("/missing", () => Results.NotFound());
        app.MapGet("/broken", () => Results.StatusCode(500));
        app.MapGet("/hop/{n:int}", (int n) => Results.Redirect(n <= 0 ? "/faq" : $"/hop/{n - 1}"));
        app.MapGet("/to-ftp", () => Results.Redirect("ftp://example.com/file.txt"));
        app.MapGet("/to-file", () => Results.Redirect("file:///etc/passwd"));
        app.MapGet("/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Results.Text("late");
        });
        app.MapGet("/endless", async (HttpContext context, string? run) =>
        {
            // Counted where the bytes leave for the socket (the connection's transport), not per write: Kestrel
            // drops writes to a connection that has gone away without an error, and on a busy machine the loop
            // could write the rest of the page into nowhere before the request's abort token fired.
            var sent = endlessRuns.GetOrAdd(run ?? "", _ => new EndlessRun());
            var transport = (TransportCount)context.Features.GetRequiredFeature<IConnectionItemsFeature>().Items[typeof(TransportCount)]!;
            var before = transport.Bytes;
            context.Response.ContentType = "text/plain";
            var line = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("We buy houses for cash. ", 40)) + "\n");
            try
            {
                for (var i = 0; i < 1_000_000 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(line, context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                sent.Ended.TrySetResult(transport.Bytes - before);
            }
        });
        app.MapGet("/declared-huge", (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = 50L * 1024 * 1024;
            return context.Response.WriteAsync("small start");
        });
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, EndlessRun> endlessRuns = new();

    /// <summary>The page <c>/faq</c> serves; a test changes it to see a re-fetch pick up the change.</summary>
    public string Page { get; set; } = FaqHtml;

    public int FaqHits => Volatile.Read(ref faqHits);

    /// <summary>How many bytes <c>/endless?run={run}</c> wrote before the reader went away, once that response has ended.</summary>
    public Task<long> EndlessBytesSentAsync(string run) =>
        endlessRuns.GetOrAdd(run, _ => new EndlessRun()).Ended.Task.WaitAsync(TimeSpan.FromSeconds(30));

    private sealed class EndlessRun
    {
        public TaskCompletionSource<long> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The bytes a connection has handed to its socket.</summary>
    private sealed class TransportCount
    {
        private long bytes;

        public long Bytes => Interlocked.Read(ref bytes);

        public void Add(int count) => Interlocked.Add(ref bytes, count);
    }

    /// <summary>The connection's output, counted as Kestrel hands it to the socket.</summary>
    private sealed class CountingOutput(PipeWriter inner, TransportCount count) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            count.Add(bytes);
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }

    private sealed class CountingTransport(IDuplexPipe inner, TransportCount count) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new CountingOutput(inner.Output, count);
    }

    public Uri Root { get; private set; } = null!;

    public Uri Url(string path) => new(Root, path);

    public static async Task<TestWebSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            var count = new TransportCount();
            connection.Items[typeof(TransportCount)] = count;
            connection.Transport = new CountingTransport(connection.Transport, count);
            return next(connection);
        })));
        builder.Logging.ClearProviders();
        var site = new TestWebSite(builder.Build());
        await site.app.StartAsync();
        site.Root = new Uri(site.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return site;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
