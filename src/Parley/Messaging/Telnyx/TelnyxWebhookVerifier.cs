using Microsoft.Extensions.Options;
using Parley.Messaging.Sandbox;

namespace Parley.Messaging.Telnyx;

/// <summary>Checks a webhook's Ed25519 signature; returns why it is refused, or null. There is always a key:
/// the configured Telnyx public key, or in Sandbox mode without one the Sandbox's own. Unsigned events never pass.</summary>
public sealed class TelnyxWebhookVerifier
{
    private readonly TelnyxSignature signature;

    public TelnyxWebhookVerifier(IOptions<TelnyxOptions> options, IOptions<ParleyOptions> parley, SandboxWebhookKey sandboxKey, TimeProvider time)
    {
        var key = options.Value.PublicKeyBytes()
            ?? (parley.Value.Carrier == CarrierKind.Sandbox
                ? sandboxKey.PublicKey
                : throw new InvalidOperationException(TelnyxOptions.PublicKeyRequired));
        signature = new TelnyxSignature(key, time, options.Value.SignatureTolerance);
    }

    public string? Verify(string? signatureHeader, string? timestampHeader, byte[] body)
    {
        var check = signature.Verify(signatureHeader, timestampHeader, body);
        return check switch
        {
            SignatureCheck.Valid => null,
            SignatureCheck.Missing => "The telnyx-signature-ed25519 and telnyx-timestamp headers are required.",
            SignatureCheck.Malformed => "The signature or timestamp header is malformed.",
            SignatureCheck.Stale => "The timestamp is too far from now; replayed or delayed webhooks are refused.",
            _ => "The signature does not match the body.",
        };
    }
}

/// <summary>Makes the verifier (and so the Sandbox key file) at start-up rather than on the first webhook, so the
/// key is there to sign with before anything is posted.</summary>
internal sealed class TelnyxWebhookVerifierWarmUp(TelnyxWebhookVerifier verifier) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(verifier);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
