using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;
using OpenAI.Chat;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;

namespace Parley.Agent.OpenAi;

/// <summary>
/// The agent's model on any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI v1, Ollama,
/// vLLM, LM Studio). Asks for one strict JSON decision; a malformed answer is asked for once more, then
/// the turn fails with <see cref="AgentModelException"/>: the answer is never sent raw. Talks through
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> (OpenAI's client underneath) with the library's logging and
/// OpenTelemetry middleware.
/// </summary>
public sealed partial class OpenAiModel : IAgentModel
{
    // The SDK's credential cannot be empty; servers that need no key ignore it.
    private const string NoKey = "unused";

    private readonly OpenAiModelOptions _options;
    public const string TelemetrySource = "Parley.Agent.Model";

    /// <summary>The IHttpClientFactory client the model talks through; <see cref="OpenAiHttp"/> gives it its timeout,
    /// retries and circuit breaker (the SDK's own retries are off, so there is one policy).</summary>
    public const string HttpClientName = "Parley.Ai";

    private readonly IChatClient _chat;
    private readonly ChatOptions _chatOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="options">Endpoint, key, model and timeout; validated here.</param>
    /// <param name="httpClient">The HTTP client to send through (IHttpClientFactory's); when null, one with the same
    /// resilience pipeline.</param>
    public OpenAiModel(
        OpenAiModelOptions options,
        HttpClient? httpClient = null,
        TimeProvider? timeProvider = null,
        ILogger<OpenAiModel>? logger = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        var clientOptions = new OpenAIClientOptions
        {
            // The SDK appends "/chat/completions"; a trailing slash would double it.
            Endpoint = new Uri(options.Endpoint.AbsoluteUri.TrimEnd('/')),
            // Timeouts and retries belong to the HTTP client's resilience pipeline.
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(httpClient ?? OpenAiHttp.CreateClient(options, _time, _logger)),
        };

        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? NoKey : options.ApiKey;
        var inner = new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetChatClient(options.Model).AsIChatClient();
        _chat = new ChatClientBuilder(inner)
            .UseLogging(loggerFactory ?? NullLoggerFactory.Instance)
            .UseOpenTelemetry(loggerFactory, TelemetrySource)
            .Build();

        // The schema comes from the decision type. OpenAI's own options carry it too, so "strict": true is on the
        // wire whatever the adapter's defaults are (DESIGN.md's contract).
        var schemaText = BinaryData.FromString(DecisionJson.Schema.GetRawText());
        _chatOptions = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(DecisionJson.Schema, DecisionJson.SchemaName),
            RawRepresentationFactory = _ => new ChatCompletionOptions
            {
                ResponseFormat = OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(DecisionJson.SchemaName, schemaText, jsonSchemaIsStrict: true),
            },
        };
    }

    public string Name => $"openai:{_options.Model}";

    public async Task<AgentDecision> DecideAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messages = DecisionPrompt.Messages(context);
        var started = _time.GetTimestamp();
        int? inputTokens = null;
        int? outputTokens = null;
        string? problem = null;

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var completion = await CompleteAsync(messages, cancellationToken);
            if (completion.Usage is { } usage)
            {
                inputTokens = (inputTokens ?? 0) + (int?)usage.InputTokenCount;
                outputTokens = (outputTokens ?? 0) + (int?)usage.OutputTokenCount;
            }

            var content = completion.Text;
            if (completion.RawRepresentation is ChatCompletion { Refusal: { Length: > 0 } } && string.IsNullOrWhiteSpace(content))
            {
                problem = "the model refused to answer";
            }
            else if (DecisionJson.TryRead(content, context, out var decision, out problem))
            {
                var model = string.IsNullOrEmpty(completion.ModelId) ? _options.Model : completion.ModelId;
                return decision with
                {
                    Usage = new AgentUsage(model, _time.GetElapsedTime(started), inputTokens, outputTokens),
                };
            }

            if (attempt == 1)
            {
                LogMalformed(_logger, _options.Model, problem);
            }
        }

        throw new AgentModelException($"The model's answer was not valid JSON of the decision shape (twice): {problem}.");
    }

    private async Task<ChatResponse> CompleteAsync(List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            return await _chat.GetResponseAsync(messages, _chatOptions, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new AgentModelException($"The model endpoint {Where()} did not answer within {_options.Timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (Exception ex) when (Find<BrokenCircuitException>(ex) is { } broken)
        {
            throw new AgentModelException(
                $"The model endpoint {Where()} keeps failing, so Parley stopped calling it for {_options.CircuitBreakDuration.TotalSeconds:0.###} s.", broken);
        }
        catch (Exception ex) when (Find<TimeoutRejectedException>(ex) is { } timeout)
        {
            throw new AgentModelException($"The model endpoint {Where()} did not answer within {_options.Timeout.TotalSeconds:0.###} s.", timeout);
        }
        catch (ClientResultException ex) when (ex.Status == 0)
        {
            var cause = ex.InnerException is OperationCanceledException or TimeoutException
                ? $"did not answer within {_options.Timeout.TotalSeconds:0.###} s"
                : $"could not be reached: {Redact(ex.InnerException?.Message ?? ex.Message)}";
            throw new AgentModelException($"The model endpoint {Where()} {cause}.", ex);
        }
        catch (ClientResultException ex)
        {
            // No inner exception: its message holds the server's raw text, which can echo the key.
            throw new AgentModelException(HttpFailure(ex.Status, ServerMessage(ex)));
        }
        catch (HttpRequestException ex)
        {
            throw new AgentModelException($"The model endpoint {Where()} could not be reached: {Redact(ex.Message)}.", ex);
        }
        catch (JsonException ex)
        {
            throw new AgentModelException($"The model endpoint {Where()} answered with something that is not a chat completion.", ex);
        }
    }

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    private string HttpFailure(int status, string? serverMessage)
    {
        var what = status switch
        {
            401 or 403 => "rejected the API key",
            404 => $"does not know the model '{_options.Model}' or the path (check Parley:Ai:Endpoint and Parley:Ai:Model)",
            429 => "is rate limiting or out of quota",
            >= 500 => "failed",
            _ => "refused the request",
        };
        var detail = string.IsNullOrWhiteSpace(serverMessage) ? "" : $": {serverMessage}";
        return $"The model endpoint {Where()} {what} (HTTP {status}){detail}";
    }

    /// <summary>The server's own error message from the OpenAI error envelope (or plain text), without the key.</summary>
    private string? ServerMessage(ClientResultException ex)
    {
        string? body;
        try
        {
            body = ex.GetRawResponse()?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            body = null;
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error))
            {
                message = error.ValueKind switch
                {
                    JsonValueKind.String => error.GetString(),
                    JsonValueKind.Object when error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String => text.GetString(),
                    _ => null,
                };
            }
        }
        catch (JsonException)
        {
            message = body;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        message = Redact(message.Trim());
        return message.Length <= 300 ? message : message[..300] + "...";
    }

    private string Redact(string text) =>
        string.IsNullOrEmpty(_options.ApiKey) ? text : text.Replace(_options.ApiKey, "***", StringComparison.Ordinal);

    // Host and port only: a URL's user-info or query could hold a secret.
    private string Where() => _options.Endpoint.IsDefaultPort
        ? _options.Endpoint.Host
        : $"{_options.Endpoint.Host}:{_options.Endpoint.Port}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model {Model} gave a malformed decision ({Problem}); asking once more")]
    private static partial void LogMalformed(ILogger logger, string model, string? problem);
}
