using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Agent;

/// <summary>The tester runs the real agent turn: same outcomes, no SMS, no charge.</summary>
public sealed class TesterTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 4000;

    private async Task<(TenantClient Tenant, string Session)> SessionAsync(object? body = null)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref numbers):D4}");
        var session = await tenant.Http.PostJsonAsync("/api/tester/sessions", body ?? new { });
        return (tenant, session["id"]!.GetValue<string>());
    }

    private static Task<System.Text.Json.Nodes.JsonNode> SayAsync(TenantClient tenant, string session, string text) =>
        tenant.Http.PostJsonAsync($"/api/tester/sessions/{session}/messages", new { text });

    [Fact]
    public async Task A_tester_conversation_learns_the_name_and_books_a_callback_without_sending_or_charging()
    {
        var (tenant, session) = await SessionAsync();
        var sendsBefore = fixture.Telnyx.Sends.Count;

        var first = await SayAsync(tenant, session, "Hi, interested in the Elm St house");
        Assert.Single(first["replies"]!.AsArray());
        Assert.Null(first["outcome"]);
        var named = await SayAsync(tenant, session, "my name is Ana");
        Assert.Equal("Ana", named["contactName"]!.GetValue<string>());
        var booked = await SayAsync(tenant, session, "Friday afternoon around 2 works");

        Assert.Equal("AppointmentScheduled", booked["outcome"]!.GetValue<string>());
        Assert.True(booked["paused"]!.GetValue<bool>());
        var callbackAt = DateTimeOffset.Parse(booked["callbackAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DayOfWeek.Friday, callbackAt.DayOfWeek);
        Assert.Equal(14, callbackAt.Hour);
        Assert.Equal(sendsBefore, fixture.Telnyx.Sends.Count);
        Assert.Equal(0, await fixture.App.QueryAsync(db => db.WalletEntries.CountAsync(e => e.Kind != Parley.Billing.WalletEntryKind.Credit), tenant.Id));
        Assert.Equal(0, await fixture.App.QueryAsync(db => db.Messages.CountAsync(), tenant.Id));
    }

    [Theory]
    [InlineData("not interested", "NotInterested", 0)]
    [InlineData("I want to speak to a manager", "NeedsHuman", 1)]
    [InlineData("wrong number", "WrongPerson", 1)]
    public async Task Tester_outcomes_match_the_real_agent(string text, string outcome, int replies)
    {
        var (tenant, session) = await SessionAsync(new
        {
            history = new[]
            {
                new { from = "agent", text = "Hi, this is Maple Realty. Who am I speaking with?" },
                new { from = "contact", text = "This is Jordan" },
            },
        });
        var answer = await SayAsync(tenant, session, text);
        Assert.Equal(outcome, answer["outcome"]!.GetValue<string>());
        Assert.Equal(replies, answer["replies"]!.AsArray().Count);
        Assert.True(answer["paused"]!.GetValue<bool>());

        var after = await SayAsync(tenant, session, "hello?");
        Assert.Empty(after["replies"]!.AsArray());
    }

    [Fact]
    public async Task Bad_tester_input_is_refused_and_other_tenants_sessions_are_invisible()
    {
        var (tenant, session) = await SessionAsync();
        var badHistory = await tenant.Http.PostAsJsonAsync("/api/tester/sessions", new { history = new[] { new { from = "robot", text = "hi" } } });
        await badHistory.AssertProblemAsync(400);
        await (await tenant.Http.PostAsJsonAsync($"/api/tester/sessions/{session}/messages", new { text = "" })).AssertProblemAsync(400);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Http.PostAsJsonAsync("/api/tester/sessions", new { assistantId = Guid.NewGuid() })).StatusCode);

        var (other, _) = await SessionAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PostAsJsonAsync($"/api/tester/sessions/{session}/messages", new { text = "hi" })).StatusCode);
    }
}
