using Microsoft.Extensions.Options;

namespace Parley.Messaging.Telnyx;

/// <summary>Checks a webhook's Ed25519 signature when a public key is configured; returns why it is refused, or null.</summary>
public sealed class TelnyxWebhookVerifier
{
    private readonly TelnyxSignature? signature;

    public TelnyxWebhookVerifier(IOptions<TelnyxOptions> options, TimeProvider time)
    {
        if (options.Value.PublicKeyBytes() is { } key)
        {
            signature = new TelnyxSignature(key, time, options.Value.SignatureTolerance);
        }
    }

    public string? Verify(string? signatureHeader, string? timestampHeader, byte[] body)
    {
        if (signature is null)
        {
            return null;
        }

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
