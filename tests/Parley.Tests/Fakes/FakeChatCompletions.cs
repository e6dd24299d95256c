using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Tests.Fakes;

/// <summary>One request the fake received: its parsed JSON body and Authorization header.</summary>
public sealed record ChatCompletionsRequest(string Path, string? Authorization, JsonElement Body)
{
    public string Model => Body.GetProperty("model").GetString()!;

    public IReadOnlyList<(string Role, string Content)> Messages =>
        [.. Body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, ContentOf(m)))];

    /// <summary>The system message: what the model was told, including the knowledge passages and their ids.</summary>
    public string SystemPrompt => Messages.First(m => m.Role == "system").Content;

    private static string ContentOf(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
    }
}

/// <summary>
/// A real local HTTP server speaking the OpenAI chat-completions wire format at
/// <c>POST /v1/chat/completions</c>, answering from a scripted queue. Point a client at <see cref="Endpoint"/>.
/// </summary>
public sealed class FakeChatCompletions : IAsyncDisposable
{
    private const string ModelKey = "model";
    private const string RequestKey = "request";

    private readonly Lock _gate = new();
    private readonly Queue<Step> _script = new();
    private readonly List<ChatCompletionsRequest> _requests = [];
    private readonly WebApplication _app;
    private int _sequence;
    private TaskCompletionSource? _hold;

    private FakeChatCompletions(WebApplication app)
    {
        _app = app;
        _app.MapPost("/v1/chat/completions", AnswerAsync);
        _app.MapFallback(context =>
        {
            context.Response.StatusCode = 404;
            return context.Response.WriteAsJsonAsync(ErrorEnvelope($"Unknown path {context.Request.Path}", "invalid_request_error", "unknown_url"));
        });
    }

    /// <summary>The base URL to configure, e.g. <c>http://127.0.0.1:53211/v1</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ChatCompletionsRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeChatCompletions> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeChatCompletions(builder.Build());
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.Endpoint = new Uri($"{address.TrimEnd('/')}/v1");
        return fake;
    }

    /// <summary>Answers the next request with <paramref name="decision"/> serialised as the message content.</summary>
    public FakeChatCompletions Reply(object decision, int promptTokens = 100, int completionTokens = 20) =>
        ReplyRaw(JsonSerializer.Serialize(decision), promptTokens, completionTokens);

    /// <summary>Answers the next request with a decision made from the request itself, as a model reads its
    /// prompt: e.g. citing the id of a passage the system message offered.</summary>
    public FakeChatCompletions ReplyTo(Func<ChatCompletionsRequest, object> decide, int promptTokens = 100, int completionTokens = 20) =>
        Enqueue(new Step(null, async http =>
        {
            var request = (ChatCompletionsRequest)http.Items[RequestKey]!;
            await http.Response.WriteAsJsonAsync(Completion(ModelOf(http), JsonSerializer.Serialize(decide(request)), promptTokens, completionTokens));
        }));

    /// <summary>Answers the next request with this exact message content.</summary>
    public FakeChatCompletions ReplyRaw(string content, int promptTokens = 100, int completionTokens = 20) =>
        Enqueue(new Step(null, async http =>
        {
            await http.Response.WriteAsJsonAsync(Completion(ModelOf(http), content, promptTokens, completionTokens));
        }));

    /// <summary>Answers the next request with an HTTP error in OpenAI's error envelope (and a <c>retry-after</c>
    /// header, as OpenAI sends with its 429s, when given).</summary>
    public FakeChatCompletions Fail(int status, string message, string type = "invalid_request_error", string? code = null, int? retryAfterSeconds = null) =>
        Enqueue(new Step(null, async http =>
        {
            http.Response.StatusCode = status;
            if (retryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await http.Response.WriteAsJsonAsync(ErrorEnvelope(message, type, code));
        }));

    /// <summary>Holds every request from now on, unanswered, until <see cref="Release"/>: callers that reached the
    /// model at different moments leave it together.</summary>
    public FakeChatCompletions Hold()
    {
        lock (_gate)
        {
            _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return this;
    }

    /// <summary>Lets the held requests (and every later one) go on to their answers.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _hold?.TrySetResult();
            _hold = null;
        }
    }

    /// <summary>Waits this long before the next scripted answer; the request that waits takes that answer, even if it gives up.</summary>
    public FakeChatCompletions Delay(TimeSpan delay) => Enqueue(new Step(delay, null));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private FakeChatCompletions Enqueue(Step step)
    {
        lock (_gate)
        {
            _script.Enqueue(step);
        }

        return this;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        http.Items[ModelKey] = body.RootElement.TryGetProperty("model", out var model) ? model.GetString() : null;
        var request = new ChatCompletionsRequest(http.Request.Path, http.Request.Headers.Authorization.FirstOrDefault(), body.RootElement.Clone());
        http.Items[RequestKey] = request;
        lock (_gate)
        {
            _requests.Add(request);
        }

        Task held;
        lock (_gate)
        {
            held = _hold?.Task ?? Task.CompletedTask;
        }

        try
        {
            await held.WaitAsync(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // A request takes any delays and the first answer after them, even if it is aborted while waiting.
        var delay = TimeSpan.Zero;
        Func<HttpContext, Task>? answer = null;
        lock (_gate)
        {
            while (answer is null && _script.TryDequeue(out var step))
            {
                delay += step.Delay ?? TimeSpan.Zero;
                answer = step.Answer;
            }
        }

        try
        {
            await Task.Delay(delay, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (answer is null)
        {
            http.Response.StatusCode = 500;
            await http.Response.WriteAsJsonAsync(ErrorEnvelope("FakeChatCompletions has no scripted answer left.", "server_error", null));
            return;
        }

        await answer(http);
    }

    private static string ModelOf(HttpContext http) => http.Items[ModelKey] as string ?? "";

    private JsonObject Completion(string model, string content, int promptTokens, int completionTokens) => new()
    {
        ["id"] = $"chatcmpl-fake{Interlocked.Increment(ref _sequence)}",
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = content,
                ["refusal"] = null,
            },
            ["logprobs"] = null,
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = completionTokens,
            ["total_tokens"] = promptTokens + completionTokens,
        },
        ["system_fingerprint"] = "fp_fake",
    };

    private static JsonObject ErrorEnvelope(string message, string type, string? code) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["param"] = null,
            ["code"] = code,
        },
    };

    private sealed record Step(TimeSpan? Delay, Func<HttpContext, Task>? Answer);
}
