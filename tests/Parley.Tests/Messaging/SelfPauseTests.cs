using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;
using Xunit;

namespace Parley.Tests.Messaging;

/// <summary>The agent pauses itself to protect the sender, never because one number cannot take texts.</summary>
public sealed class SelfPauseTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 7000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    /// <summary>A contact texts in, the agent answers, and the carrier reports that answer failed with the code.</summary>
    private async Task<string> AgentReplyFailsAsync(TenantClient tenant, string code)
    {
        var contact = NextNumber();
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, "Hi, is the house still for sale?"));
        var send = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count == 1);
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send[0].MessageId, "delivery_failed", code, "Failed", "Delivery failed"));
        await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.Messages.AnyAsync(m => m.CarrierMessageId == send[0].MessageId && m.ErrorCode == code), tenant.Id),
            failed => failed);
        return contact;
    }

    private Task<DateTime?> PausedUntilAsync(TenantClient tenant) =>
        fixture.App.QueryAsync(db => db.Assistants.Select(a => a.AutoPausedUntilUtc).FirstAsync(), tenant.Id);

    [Theory]
    [InlineData("40001")]
    [InlineData("40012")]
    [InlineData("40300")]
    public async Task Failures_that_belong_to_one_number_mark_it_undeliverable_and_never_pause_the_agent(string code)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var contacts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            contacts.Add(await AgentReplyFailsAsync(tenant, code));
        }

        Assert.Null(await PausedUntilAsync(tenant));
        var conversation = (await tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(contacts[0])}"))[0]!;
        var phone = (await tenant.Http.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}"))["phones"]![0]!;
        Assert.True(phone["undeliverable"]!.GetValue<bool>());
        Assert.Contains(code, phone["undeliverableReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(phone["undeliverableAt"]);
        var contact = await tenant.Http.GetJsonAsync($"/api/contacts/{conversation["contact"]!["id"]!.GetValue<string>()}");
        Assert.Equal(contacts[0], contact["undeliverable"]![0]!["number"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("40003")]
    [InlineData("40015")]
    [InlineData("40010")]
    public async Task Failures_that_threaten_the_sender_pause_the_agent(string code)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());

        await AgentReplyFailsAsync(tenant, code);
        Assert.Null(await PausedUntilAsync(tenant));
        await AgentReplyFailsAsync(tenant, code);

        Assert.NotNull(await PausedUntilAsync(tenant));
    }
}
