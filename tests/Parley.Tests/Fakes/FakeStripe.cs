using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Parley.Tests.Fakes;

/// <summary>One API call the fake took, with its form fields as Stripe.net encoded them (<c>metadata[key]</c>…).</summary>
public sealed record FakeStripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey);

/// <summary>
/// A local HTTP server speaking the part of Stripe's API Parley calls (form-encoded requests, JSON objects with their
/// <c>object</c> names, <c>Idempotency-Key</c> replays, card errors as 402), plus events signed the way Stripe signs
/// them (<c>Stripe-Signature: t=…,v1=hex HMAC-SHA256 of "t.body"</c>).
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string ApiKey = "sk_test_fake_parley";
    public const string WebhookSecret = "whsec_fake_parley_secret";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> replies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> subscriptions = new(StringComparer.Ordinal);
    private int sequence;

    private FakeStripe(WebApplication app)
    {
        this.app = app;
        app.MapPost("/v1/customers", (HttpContext c) => ReplyAsync(c, form => new JsonObject
        {
            ["id"] = Id("cus"),
            ["object"] = "customer",
            ["metadata"] = Metadata(form),
        }));
        app.MapPost("/v1/checkout/sessions", (HttpContext c) => ReplyAsync(c, form =>
        {
            var id = Id("cs_test");
            return new JsonObject
            {
                ["id"] = id,
                ["object"] = "checkout.session",
                ["mode"] = form.GetValueOrDefault("mode"),
                ["status"] = "open",
                ["payment_status"] = "unpaid",
                ["customer"] = form.GetValueOrDefault("customer"),
                ["url"] = $"https://checkout.stripe.test/c/pay/{id}",
                ["metadata"] = Metadata(form),
            };
        }));
        app.MapPost("/v1/billing_portal/sessions", (HttpContext c) => ReplyAsync(c, form =>
        {
            var id = Id("bps");
            return new JsonObject
            {
                ["id"] = id,
                ["object"] = "billing_portal.session",
                ["customer"] = form.GetValueOrDefault("customer"),
                ["return_url"] = form.GetValueOrDefault("return_url"),
                ["url"] = $"https://billing.stripe.test/p/session/{id}",
            };
        }));
        app.MapGet("/v1/subscriptions/{id}", (HttpContext c, string id) => ReplyAsync(c, _ => subscriptions[id].DeepClone().AsObject()));
        app.MapPost("/v1/subscriptions/{id}", (HttpContext c, string id) => ReplyAsync(c, form =>
        {
            var subscription = subscriptions[id];
            if (form.TryGetValue("items[0][price]", out var price))
            {
                subscription["items"]!["data"]![0]!["price"] = new JsonObject { ["id"] = price, ["object"] = "price" };
            }

            if (form.TryGetValue("cancel_at_period_end", out var cancel))
            {
                subscription["cancel_at_period_end"] = cancel == "true";
            }

            return subscription.DeepClone().AsObject();
        }));
        app.MapPost("/v1/payment_intents", (HttpContext c) => ReplyAsync(c, form =>
        {
            var id = Id("pi");
            return new JsonObject
            {
                ["id"] = id,
                ["object"] = "payment_intent",
                ["status"] = "succeeded",
                ["amount"] = long.Parse(form["amount"], CultureInfo.InvariantCulture),
                ["currency"] = "usd",
                ["customer"] = form.GetValueOrDefault("customer"),
                ["payment_method"] = form.GetValueOrDefault("payment_method"),
                ["latest_charge"] = Id("ch"),
                ["metadata"] = Metadata(form),
            };
        }));
    }

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeStripe(builder.Build());
        await fake.app.StartAsync();
        fake.BaseUrl = new Uri(fake.app.Urls.First());
        return fake;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    public ConcurrentQueue<FakeStripeRequest> Requests { get; } = new();

    /// <summary>Answers the next <c>POST /v1/payment_intents</c> with a card error, as a declined saved card.</summary>
    public bool DeclineNextCharge { get; set; }

    public Dictionary<string, string?> AppSettings() => new()
    {
        ["Parley:Payments:Provider"] = "Stripe",
        ["Parley:Stripe:ApiKey"] = ApiKey,
        ["Parley:Stripe:WebhookSecret"] = WebhookSecret,
        ["Parley:Stripe:BaseUrl"] = BaseUrl.ToString(),
        ["Parley:Stripe:Prices:Launch"] = "price_launch",
        ["Parley:Stripe:Prices:Growth"] = "price_growth",
        ["Parley:Stripe:Prices:Scale"] = "price_scale",
    };

    /// <summary>A subscription as Stripe keeps it after a subscription checkout (the fake then answers for it).</summary>
    public JsonObject AddSubscription(string customer, string price, string status = "active", DateTimeOffset? periodEnd = null)
    {
        var id = Id("sub");
        var subscription = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["customer"] = customer,
            ["status"] = status,
            ["cancel_at_period_end"] = false,
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = Id("si"),
                    ["object"] = "subscription_item",
                    ["quantity"] = 1,
                    ["price"] = new JsonObject { ["id"] = price, ["object"] = "price" },
                    ["current_period_end"] = (periodEnd ?? DateTimeOffset.UtcNow.AddDays(30)).ToUnixTimeSeconds(),
                }),
            },
        };
        subscriptions[id] = subscription;
        return subscription.DeepClone().AsObject();
    }

    /// <summary>An event as Stripe delivers it: the object as it was when the event happened.</summary>
    public static string Event(string type, JsonObject data, DateTimeOffset? created = null, string? id = null) => new JsonObject
    {
        ["id"] = id ?? $"evt_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = global::Stripe.StripeConfiguration.ApiVersion,
        ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();

    /// <summary>The <c>Stripe-Signature</c> header for <paramref name="body"/>, computed here, not by Stripe.net.</summary>
    public static string Sign(string body, DateTimeOffset? at = null, string secret = WebhookSecret)
    {
        var t = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private string Id(string prefix) => $"{prefix}_{Interlocked.Increment(ref sequence):D6}{Guid.NewGuid():N}"[..(prefix.Length + 20)];

    private static JsonObject Metadata(Dictionary<string, string> form)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
        {
            metadata[key["metadata[".Length..^1]] = value;
        }

        return metadata;
    }

    private async Task ReplyAsync(HttpContext context, Func<Dictionary<string, string>, JsonObject> answer)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : [];
        string? key = context.Request.Headers["Idempotency-Key"];
        Requests.Enqueue(new FakeStripeRequest(context.Request.Method, context.Request.Path, form, key));
        context.Response.ContentType = "application/json";
        if (context.Request.Path == "/v1/payment_intents" && DeclineNextCharge)
        {
            DeclineNextCharge = false;
            context.Response.StatusCode = 402;
            await context.Response.WriteAsync("""{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}""");
            return;
        }

        var json = key is null ? answer(form).ToJsonString() : replies.GetOrAdd(key, _ => answer(form).ToJsonString());
        await context.Response.WriteAsync(json);
    }
}
