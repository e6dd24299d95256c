using Parley.Tests.Infrastructure;

namespace Parley.Tests.Conversations;

public sealed class DebouncedTelnyxApp() : TelnyxApp(new() { ["Parley:Agent:DebounceSeconds"] = "1.5" });

public sealed class DebounceTests(DebouncedTelnyxApp fixture) : IClassFixture<DebouncedTelnyxApp>
{
    [Fact]
    public async Task A_burst_of_texts_inside_the_debounce_window_gets_one_reply()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: "+14165550700");
        const string contact = "+14165550701";
        foreach (var (text, i) in new[] { "Hi", "I saw the listing on Elm", "is it still available?" }.Select((t, i) => (t, i)))
        {
            await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-burst-{i}", $"msg-burst-{i}", contact, tenant.Number, text));
            await Task.Delay(200);
        }

        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => s.To == contact)), n => n >= 1);
        await Task.Delay(2000); // past another debounce window: a second reply would have gone out by now
        Assert.Single(fixture.Telnyx.Sends, s => s.To == contact);

        var conversation = (await tenant.Http.GetJsonAsync("/api/conversations"))[0]!;
        var messages = await tenant.Http.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}/messages");
        Assert.Equal(["Inbound", "Inbound", "Inbound", "Outbound"], messages.AsArray().Select(m => m!["direction"]!.GetValue<string>()));
    }
}
