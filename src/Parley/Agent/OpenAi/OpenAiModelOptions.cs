namespace Parley.Agent.OpenAi;

/// <summary>An OpenAI-compatible chat-completions endpoint, bound from <c>Parley:Ai</c>.</summary>
public sealed class OpenAiModelOptions
{
    public const string Section = "Parley:Ai";

    /// <summary>The base URL; requests go to <c>{Endpoint}/chat/completions</c> (e.g. <c>http://localhost:11434/v1</c>).</summary>
    public Uri Endpoint { get; set; } = new("https://api.openai.com/v1");

    /// <summary>Sent as a bearer token; local servers need none.</summary>
    public string? ApiKey { get; set; }

    public string Model { get; set; } = "";

    /// <summary>Per HTTP attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries for 408, short 429s, 5xx, timed-out attempts and dropped connections.</summary>
    public int MaxRetries { get; set; } = 1;

    /// <summary>The first retry's wait (doubled for each next one, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Calls in a minute before failures can open the circuit (half of them failing opens it).</summary>
    public int CircuitMinimumThroughput { get; set; } = 8;

    /// <summary>How long turns fail at once, without calling the model, once the circuit has opened.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What is wrong with these options, one clear sentence each; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{Section}:Endpoint must be an absolute http(s) URL such as https://api.openai.com/v1.");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            problems.Add($"{Section}:Model is required (e.g. gpt-4o-mini, or llama3.1 for Ollama).");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{Section}:Timeout must be between 0 and 5 minutes.");
        }

        if (MaxRetries is < 0 or > 5)
        {
            problems.Add($"{Section}:MaxRetries must be between 0 and 5.");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromSeconds(30))
        {
            problems.Add($"{Section}:RetryBaseDelay must be between 0 and 30 seconds.");
        }

        if (CircuitMinimumThroughput < 2)
        {
            problems.Add($"{Section}:CircuitMinimumThroughput must be at least 2.");
        }

        if (CircuitBreakDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakDuration > TimeSpan.FromHours(1))
        {
            problems.Add($"{Section}:CircuitBreakDuration must be between 0.5 seconds and 1 hour.");
        }

        return problems;
    }
}
