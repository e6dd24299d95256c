using Microsoft.Extensions.Options;

namespace Parley.Messaging.Telnyx;

/// <summary>Bound from <c>Parley:Telnyx</c>.</summary>
public sealed class TelnyxOptions
{
    public const string Section = "Parley:Telnyx";

    public string BaseUrl { get; set; } = "https://api.telnyx.com";

    public string? ApiKey { get; set; }

    /// <summary>The account's Ed25519 public key, base64 of 32 raw bytes. Required when Telnyx is the carrier; in
    /// Sandbox mode, empty means webhooks are verified with the Sandbox's own key (<see cref="Sandbox.SandboxWebhookKey"/>).</summary>
    public string? PublicKey { get; set; }

    /// <summary>How long stored webhook bodies are kept (for inspection and deduplication of retries) before they are pruned.</summary>
    public TimeSpan WebhookRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often stored webhook bodies past <see cref="WebhookRetention"/> are looked for.</summary>
    public TimeSpan WebhookPruneInterval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Per attempt; the in-process retries each get their own.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quick retries inside one send; longer backoff belongs to the caller's durable queue.</summary>
    public int InProcessRetries { get; set; } = 2;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Attempts seen in 30 s before the breaker may open (when half of them failed).</summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>How long sends pause, going back to the durable queue, once the breaker opens.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    public const int PublicKeyLength = 32;

    public const string PublicKeyRequired =
        "Parley__Telnyx__PublicKey is required when Parley__Carrier is Telnyx: Parley refuses unsigned carrier webhooks. "
        + "Copy the public key from the Telnyx portal (Account Settings → Keys & Credentials → Public Key).";

    /// <param name="requireApiKey">True where Telnyx is the carrier: it sends, and its webhooks must be verifiable.</param>
    public IReadOnlyList<string> Validate(bool requireApiKey)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{Section}:BaseUrl must be an absolute http(s) URL such as https://api.telnyx.com; got '{BaseUrl}'.");
        }

        if (requireApiKey && string.IsNullOrWhiteSpace(ApiKey))
        {
            errors.Add($"{Section}:ApiKey is required to send through Telnyx.");
        }

        if (requireApiKey && string.IsNullOrWhiteSpace(PublicKey))
        {
            errors.Add(PublicKeyRequired);
        }
        else if (!string.IsNullOrWhiteSpace(PublicKey) && !TryDecodePublicKey(PublicKey, out _, out var keyError))
        {
            errors.Add($"{Section}:PublicKey {keyError}");
        }

        if (WebhookRetention < TimeSpan.FromMinutes(1) || WebhookPruneInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"{Section}:WebhookRetention must be at least one minute and {Section}:WebhookPruneInterval at least 00:00:00.1; got {WebhookRetention} and {WebhookPruneInterval}.");
        }

        if (SignatureTolerance <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:SignatureTolerance must be positive; got {SignatureTolerance}.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:RequestTimeout must be positive; got {RequestTimeout}.");
        }

        if (InProcessRetries is < 0 or > 10)
        {
            errors.Add($"{Section}:InProcessRetries must be between 0 and 10; got {InProcessRetries}.");
        }

        if (RetryBaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{Section}:RetryBaseDelay must not be negative; got {RetryBaseDelay}.");
        }

        if (CircuitMinimumThroughput < 2)
        {
            errors.Add($"{Section}:CircuitMinimumThroughput must be at least 2; got {CircuitMinimumThroughput}.");
        }

        if (CircuitBreakDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:CircuitBreakDuration must be between 00:00:00.5 and one day; got {CircuitBreakDuration}.");
        }

        return errors;
    }

    /// <summary>The decoded public key, or null when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The configured key is not base64 of 32 bytes.</exception>
    public byte[]? PublicKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(PublicKey))
        {
            return null;
        }

        return TryDecodePublicKey(PublicKey, out var key, out var error)
            ? key
            : throw new InvalidOperationException($"{Section}:PublicKey {error}");
    }

    private static bool TryDecodePublicKey(string value, out byte[] key, out string error)
    {
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written))
        {
            key = [];
            error = "is not valid base64; copy the public key from the Telnyx portal (Account Settings → Keys & Credentials → Public Key).";
            return false;
        }

        if (written != PublicKeyLength)
        {
            key = [];
            error = $"must decode to {PublicKeyLength} bytes (an Ed25519 public key); it decodes to {written}.";
            return false;
        }

        key = buffer[..written];
        error = "";
        return true;
    }
}

/// <summary>Start-up validation: register with <c>services.AddSingleton&lt;IValidateOptions&lt;TelnyxOptions&gt;&gt;</c> plus <c>ValidateOnStart</c>.</summary>
public sealed class TelnyxOptionsValidator(bool requireApiKey) : IValidateOptions<TelnyxOptions>
{
    public ValidateOptionsResult Validate(string? name, TelnyxOptions options)
    {
        var errors = options.Validate(requireApiKey);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
