using System.Buffers;
using System.Globalization;
using System.Text;
using NSec.Cryptography;

namespace Parley.Messaging.Telnyx;

public enum SignatureCheck
{
    Valid,
    /// <summary>The signature or timestamp header is absent or empty.</summary>
    Missing,
    /// <summary>A header is present but is not base64 of 64 bytes / not Unix seconds.</summary>
    Malformed,
    /// <summary>The timestamp is further from now than the tolerance (replay or badly skewed clock).</summary>
    Stale,
    /// <summary>Well-formed, fresh, and not signed by the configured key over these exact bytes.</summary>
    Invalid,
}

/// <summary>Verifies Telnyx webhook signatures: Ed25519 over <c>"{timestamp}|"</c> followed by the raw body bytes.</summary>
public sealed class TelnyxSignature
{
    public const string SignatureHeader = "telnyx-signature-ed25519";
    public const string TimestampHeader = "telnyx-timestamp";

    private const int SignatureLength = 64;

    // Telnyx sends 88 base64 chars; anything much longer is not worth decoding.
    private const int MaxSignatureHeaderLength = 128;
    private const int MaxTimestampHeaderLength = 19;

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    // Imported once: verification then reads no key material per request.
    private readonly PublicKey _publicKey;
    private readonly TimeProvider _timeProvider;
    private readonly long _toleranceSeconds;

    /// <param name="publicKey">32 raw bytes (the decoded <see cref="TelnyxOptions.PublicKey"/>).</param>
    /// <param name="tolerance">Largest accepted |now - timestamp|; 300 s when null.</param>
    public TelnyxSignature(byte[] publicKey, TimeProvider timeProvider, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (publicKey.Length != TelnyxOptions.PublicKeyLength)
        {
            throw new ArgumentException($"An Ed25519 public key is {TelnyxOptions.PublicKeyLength} bytes; got {publicKey.Length}.", nameof(publicKey));
        }

        if (!PublicKey.TryImport(Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
        {
            throw new ArgumentException("The bytes are not an Ed25519 public key.", nameof(publicKey));
        }

        _publicKey = imported;
        _timeProvider = timeProvider;
        _toleranceSeconds = (long)(tolerance ?? TimeSpan.FromSeconds(300)).TotalSeconds;
    }

    public SignatureCheck Verify(string? signatureHeader, string? timestampHeader, ReadOnlySpan<byte> rawBody)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader) || string.IsNullOrWhiteSpace(timestampHeader))
        {
            return SignatureCheck.Missing;
        }

        var timestampText = timestampHeader.Trim();
        if (timestampText.Length > MaxTimestampHeaderLength
            || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return SignatureCheck.Malformed;
        }

        Span<byte> signature = stackalloc byte[SignatureLength + 3];
        if (signatureHeader.Length > MaxSignatureHeaderLength
            || !Convert.TryFromBase64String(signatureHeader.Trim(), signature, out var written)
            || written != SignatureLength)
        {
            return SignatureCheck.Malformed;
        }

        // timestamp is non-negative (NumberStyles.None), so the subtraction cannot overflow.
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - timestamp) > _toleranceSeconds)
        {
            return SignatureCheck.Stale;
        }

        return VerifySignedBytes(timestampText, rawBody, signature[..SignatureLength])
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid;
    }

    private bool VerifySignedBytes(string timestampText, ReadOnlySpan<byte> rawBody, ReadOnlySpan<byte> signature)
    {
        var prefixLength = Encoding.UTF8.GetByteCount(timestampText) + 1;
        var length = prefixLength + rawBody.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encoding.UTF8.GetBytes(timestampText, buffer);
            buffer[prefixLength - 1] = (byte)'|';
            rawBody.CopyTo(buffer.AsSpan(prefixLength));

            // libsodium refuses non-canonical and small-order signatures by returning false, never by throwing.
            return Ed25519.Verify(_publicKey, buffer.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>Produces Telnyx-style signatures, for the test fake and the bench.</summary>
public static class TelnyxSigning
{
    public static string Sign(byte[] privateKey32, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(privateKey32);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "|");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));

        using var key = Key.Import(SignatureAlgorithm.Ed25519, privateKey32, KeyBlobFormat.RawPrivateKey);
        return Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(key, message));
    }

    /// <summary>The 32-byte public key matching <paramref name="privateKey32"/>.</summary>
    public static byte[] PublicKeyFor(byte[] privateKey32)
    {
        ArgumentNullException.ThrowIfNull(privateKey32);
        using var key = Key.Import(SignatureAlgorithm.Ed25519, privateKey32, KeyBlobFormat.RawPrivateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>A fresh random 32-byte private key (the seed).</summary>
    public static byte[] NewPrivateKey()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return key.Export(KeyBlobFormat.RawPrivateKey);
    }
}
