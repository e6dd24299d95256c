using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Billing.Stripe;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Billing;

/// <summary>Parley with Stripe as the payment provider: the real Stripe.net client against <see cref="FakeStripe"/>.</summary>
public sealed class StripeApp : IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;

    public ParleyApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        App = new ConfiguredParleyApp(Stripe.AppSettings());
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>Posts an event to <c>/webhooks/stripe</c> with the signature header given (by default a good one).</summary>
    public async Task<HttpResponseMessage> PostEventAsync(string json, string? signature = null)
    {
        using var client = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? FakeStripe.Sign(json));
        return await client.SendAsync(request);
    }

    /// <summary>Posts a signed event and waits until Parley has applied it (or, naming a payment it does not know
    /// yet, has put it back to wait).</summary>
    public async Task DeliverAsync(string json)
    {
        var response = await PostEventAsync(json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var eventId = JsonNode.Parse(json)!["id"]!.GetValue<string>();

        // Only this event's own item says it was applied: a try that failed on a busy machine is due again after a
        // backoff, and must be waited for, not mistaken for done.
        // (The payload is matched here, not in SQL: PostgreSQL stores it as jsonb.)
        await Eventually.GetAsync(
            () => App.QueryAsync(db => db.WorkItems.AsNoTracking().Where(w => w.Kind == StripeEventHandler.Work.Name)
                .Select(w => new { w.Payload, w.Status, w.LastError }).ToListAsync()),
            items => items.Where(w => w.Payload.Contains(eventId, StringComparison.Ordinal)).All(w => w.Status is WorkStatus.Done or WorkStatus.Failed
                || (w.Status == WorkStatus.Pending && w.LastError == StripeEventHandler.WaitingForPayment)));
    }
}
