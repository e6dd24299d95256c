using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Parley.Tests.Fakes;

/// <summary>One request the receiver got, as it arrived.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string Body, int AnsweredWith)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public string Type => Json["type"]!.GetValue<string>();

    public JsonNode Data => Json["data"]!;
}

/// <summary>
/// A tenant's system receiving Parley's events: a real Kestrel server on 127.0.0.1 that records each request and
/// answers 200, or what a path was told to answer for its next requests.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> scripted = new();

    private WebhookReceiver(WebApplication app)
    {
        this.app = app;
        app.MapPost("/{**path}", HandleAsync);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        await receiver.app.StartAsync();
        receiver.BaseUrl = receiver.app.Urls.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    public IReadOnlyList<ReceivedWebhook> At(string path) => [.. received.Where(r => r.Path == path)];

    /// <summary>The next requests to <paramref name="path"/> get these status codes, in order; then 200 again.</summary>
    public void Answer(string path, params int[] statusCodes)
    {
        var queue = scripted.GetOrAdd(path, _ => new());
        foreach (var code in statusCodes)
        {
            queue.Enqueue(code);
        }
    }

    /// <summary>Checks the request as a receiver should, with the Standard Webhooks library: throws if the signature,
    /// the id or the timestamp does not match the body.</summary>
    public static void Verify(ReceivedWebhook webhook, string secret)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = webhook.Id,
            ["webhook-timestamp"] = webhook.Timestamp,
            ["webhook-signature"] = webhook.Signature,
        };
        new StandardWebhook(secret).Verify(webhook.Body, headers);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var status = scripted.TryGetValue(path, out var queue) && queue.TryDequeue(out var code) ? code : 200;
        received.Enqueue(new ReceivedWebhook(path, context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(),
            context.Request.Headers["webhook-signature"].ToString(), body, status));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
