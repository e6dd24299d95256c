using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Accounts;

namespace Parley.Conversations;

/// <summary><c>GET /api/events</c>: the tenant's event stream as Server-Sent Events, with a comment line every
/// 15 seconds so proxies and browsers keep the connection open. Streams are capped per tenant and per instance,
/// closed when idle and after a lifetime; clients reconnect, as EventSource does on its own.</summary>
public static class ConversationEventsApi
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>When a refused client should try again: about when a stream is likely to have closed.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapConversationEvents(this RouteGroupBuilder api) => api.MapGet("/events", StreamAsync)
        .WithName("StreamEvents").WithSummary("Server-sent events as conversations change.")
        .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task StreamAsync(
        HttpContext context, ConversationEvents events, EventStreamGate gate, TenantScope scope, IHostApplicationLifetime lifetime, IOptions<ParleyLimits> limits,
        TimeProvider time, CancellationToken requestAborted)
    {
        var tenantId = scope.TenantId();
        using var slot = gate.TryOpen(tenantId, out var refusal);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many event streams", detail: refusal).ExecuteAsync(context);
            return;
        }

        // Streams end when the app stops, so open dashboards never hold up a shutdown; when no event came for the
        // idle timeout (each event re-arms it); and at the end of their lifetime whatever they carry.
        var options = limits.Value;
        using var idle = new CancellationTokenSource(options.EventStreamIdleTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping, idle.Token);
        linked.CancelAfter(options.EventStreamLifetime);
        var cancellationToken = linked.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.WriteAsync(": connected\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        await using var changes = events.SubscribeAsync(tenantId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = changes.MoveNextAsync().AsTask();
        var beat = Task.Delay(Heartbeat, cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await Task.WhenAny(next, beat) == next)
                {
                    if (!await next)
                    {
                        break;
                    }

                    var change = changes.Current;
                    await response.WriteAsync($"event: {change.Type}\ndata: {JsonSerializer.Serialize(change, Json)}\n\n", cancellationToken);
                    idle.CancelAfter(options.EventStreamIdleTimeout);
                    next = changes.MoveNextAsync().AsTask();
                }
                else
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellationToken);
                    beat = Task.Delay(Heartbeat, cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}

/// <summary>Counts open event streams on this instance, per tenant and in all, so one key cannot hold every
/// connection (and the memory behind each) the process has.</summary>
public sealed class EventStreamGate(IOptions<ParleyLimits> limits)
{
    private readonly ConcurrentDictionary<Guid, int> perTenant = new();
    private int total;

    public int Open => Volatile.Read(ref total);

    /// <summary>A slot to dispose when the stream ends, or null with the reason it is refused.</summary>
    public IDisposable? TryOpen(Guid tenantId, out string refusal)
    {
        var options = limits.Value;
        if (Interlocked.Increment(ref total) > options.EventStreamsPerInstance)
        {
            Interlocked.Decrement(ref total);
            refusal = $"This Parley instance serves at most {options.EventStreamsPerInstance} event streams at once (Parley:Limits:EventStreamsPerInstance); try again shortly.";
            return null;
        }

        if (perTenant.AddOrUpdate(tenantId, 1, (_, n) => n + 1) > options.EventStreamsPerTenant)
        {
            Release(tenantId);
            refusal = $"At most {options.EventStreamsPerTenant} event streams may be open at once per business (Parley:Limits:EventStreamsPerTenant); close one first.";
            return null;
        }

        refusal = "";
        return new Slot(this, tenantId);
    }

    private void Release(Guid tenantId)
    {
        perTenant.AddOrUpdate(tenantId, 0, (_, n) => Math.Max(0, n - 1));
        perTenant.TryRemove(new KeyValuePair<Guid, int>(tenantId, 0));
        Interlocked.Decrement(ref total);
    }

    private sealed class Slot(EventStreamGate gate, Guid tenantId) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                gate.Release(tenantId);
            }
        }
    }
}
