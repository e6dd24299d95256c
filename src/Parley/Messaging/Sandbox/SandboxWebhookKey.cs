using Microsoft.Extensions.Options;
using Parley.Messaging.Telnyx;

namespace Parley.Messaging.Sandbox;

/// <summary>Bound from <c>Parley:Sandbox</c>.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Parley:Sandbox";

    /// <summary>Where the Sandbox keeps the private key its test webhooks are signed with, relative to the
    /// content root. Made at first start (readable by the owner only) unless it exists.</summary>
    public string WebhookKeyFile { get; set; } = Path.Combine("data", "sandbox-webhook-key.txt");
}

internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options) => OptionsValidators.Result(
        string.IsNullOrWhiteSpace(options.WebhookKeyFile) ? [$"{SandboxOptions.Section}:WebhookKeyFile must name a file."] : []);
}

/// <summary>
/// The Sandbox's own Ed25519 key pair, so that <c>/webhooks/telnyx</c> refuses unsigned events even with no
/// Telnyx account: a developer (or a test, or the bench) signs a simulated carrier event with the private key in
/// <see cref="SandboxOptions.WebhookKeyFile"/> exactly as Telnyx signs its own. Made once and kept, like the
/// admin key file; never logged.
/// </summary>
public sealed partial class SandboxWebhookKey(IOptions<SandboxOptions> options, IHostEnvironment environment, ILogger<SandboxWebhookKey> logger)
{
    private readonly Lazy<byte[]> privateKey = new(() => LoadOrCreate(Path.Combine(environment.ContentRootPath, options.Value.WebhookKeyFile), logger));

    public string FilePath => Path.Combine(environment.ContentRootPath, options.Value.WebhookKeyFile);

    public byte[] PublicKey => TelnyxSigning.PublicKeyFor(privateKey.Value);

    /// <summary>The signature header value for these bytes, as Telnyx would send it.</summary>
    public string Sign(long unixSeconds, ReadOnlySpan<byte> body) => TelnyxSigning.Sign(privateKey.Value, unixSeconds, body);

    /// <summary>Reads the key file a Sandbox install made, for tools and tests that sign simulated events.</summary>
    public static byte[] ReadPrivateKey(string path) => Convert.FromBase64String(File.ReadAllText(path).Trim());

    private static byte[] LoadOrCreate(string path, ILogger logger)
    {
        if (File.Exists(path))
        {
            return ReadPrivateKey(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = TelnyxSigning.NewPrivateKey();
        var text = Convert.ToBase64String(key) + Environment.NewLine;
        try
        {
            // CreateNew: two instances starting together on one folder keep the first key, not a torn mix.
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var writer = new StreamWriter(file);
            writer.Write(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            return ReadPrivateKey(path);
        }

        LogCreated(logger, path);
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox mode: carrier webhooks must be signed; the Sandbox's signing key for this install is in {Path}")]
    private static partial void LogCreated(ILogger logger, string path);
}
