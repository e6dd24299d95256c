using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;

namespace Parley.Bench;

/// <summary>
/// The floor every figure is measured against: a minimal Kestrel endpoint that reads the webhook's body and
/// verifies Telnyx's Ed25519 signature with NSec (what any honest webhook receiver must do), with no storage
/// and no queue. For a turn (an event id containing "turn") it also relays one send to the carrier, the least
/// an inbound → reply service does.
/// </summary>
internal sealed class Floor : IAsyncDisposable
{
    private readonly WebApplication app;

    private Floor(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<Floor> StartAsync(Uri carrier, string apiKey, string publicKeyBase64)
    {
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(publicKeyBase64), KeyBlobFormat.RawPublicKey);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHttpClient("carrier", c =>
        {
            c.BaseAddress = carrier;
            c.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        });
        var app = builder.Build();
        app.MapPost("/webhooks/telnyx", async (HttpRequest request, IHttpClientFactory clients) =>
        {
            var body = await ReadAsync(request);
            if (!Verified(key, request.Headers["telnyx-timestamp"], request.Headers["telnyx-signature-ed25519"], body))
            {
                return Results.Unauthorized();
            }

            using var doc = System.Text.Json.JsonDocument.Parse(body);
            var data = doc.RootElement.GetProperty("data");
            if (data.GetProperty("id").GetString()!.Contains("turn", StringComparison.Ordinal))
            {
                var payload = data.GetProperty("payload");
                var from = payload.GetProperty("from").GetProperty("phone_number").GetString();
                var to = payload.GetProperty("to")[0].GetProperty("phone_number").GetString();
                using var send = await clients.CreateClient("carrier").PostAsync(new Uri("/v2/messages", UriKind.Relative), new StringContent(
                    System.Text.Json.JsonSerializer.Serialize(new { from = to, to = from, text = "Thanks! When is a good time for a quick call?" }), Encoding.UTF8, "application/json"));
            }

            return Results.Ok(new { status = "accepted" });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Floor(app, new Uri(address));
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream((int)(request.ContentLength ?? 4096));
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Telnyx signs "{timestamp}|{raw body}".</summary>
    private static bool Verified(PublicKey key, string? timestamp, string? signature, byte[] body)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        Span<byte> sig = stackalloc byte[64];
        if (!Convert.TryFromBase64String(signature, sig, out var written) || written != 64)
        {
            return false;
        }

        var signed = ArrayPool<byte>.Shared.Rent(timestamp.Length + 1 + body.Length);
        try
        {
            var length = Encoding.ASCII.GetBytes(timestamp, signed);
            signed[length++] = (byte)'|';
            body.CopyTo(signed, length);
            return SignatureAlgorithm.Ed25519.Verify(key, signed.AsSpan(0, length + body.Length), sig);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
